import { sql } from 'kysely';
import { type DatabaseHandle, newPGlite, openPGlite, openPostgres } from '../src/server/db/database.ts';
import { generatePeople } from '../src/server/demo/people-generator.ts';
import { insertOrg, subtreeIds } from '../src/server/orgs/orgs.repo.ts';
import { slugify } from '../src/server/orgs/orgs.service.ts';
import { searchTerms } from '../src/server/people/normalize.ts';
import { listPeople as listPeopleQuery } from '../src/server/people/people.repo.ts';
import { prepareDatabase } from '../src/server/runtime.ts';

/**
 * `npm run bench [-- <name>]`: each bench builds its data, measures the operation and a baseline
 * on the same database in the same run, and prints `bench <name>: <value> <unit> (<ratio> of baseline)`.
 * DATABASE_URL runs it on PostgreSQL (in a scratch database), otherwise on in-memory PGlite.
 */
const BENCHES: Record<string, (h: DatabaseHandle) => Promise<void>> = {
  subtree: benchSubtree,
  'people-search': benchPeopleSearch,
};

/** `--count N`: how many people a bench generates (default 1,000,000). */
function countArg(fallback = 1_000_000): number {
  const i = process.argv.indexOf('--count');
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error('--count needs a positive whole number');
  return n;
}

function report(name: string, samples: number[], baseline: number[], extra = '') {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const b95 = percentile(baseline, 95);
  console.log(
    `bench ${name}: ${p95.toFixed(2)} ms p95, ${p50.toFixed(2)} ms p50${extra} (${(p95 / b95).toFixed(2)} of baseline p95 ${b95.toFixed(2)} ms)`,
  );
}

function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** Subtree of a unit through the closure table vs. a recursive CTE over parent_id, 400 units. */
async function benchSubtree({ db }: DatabaseHandle) {
  const bund = await insertOrg(db, {
    parentId: null,
    name: 'Bund',
    kind: 'federal',
    slug: 'b',
    postalCodes: [],
  });
  const units: string[] = [];
  let n = 0;
  for (let l = 0; l < 16; l++) {
    const land = await insertOrg(db, {
      parentId: bund.id,
      name: `L${l}`,
      kind: 'state',
      slug: `s${n++}`,
      postalCodes: [],
    });
    units.push(land.id);
    for (let k = 0; k < 8; k++) {
      const kreis = await insertOrg(db, {
        parentId: land.id,
        name: `K${k}`,
        kind: 'district',
        slug: `s${n++}`,
        postalCodes: [],
      });
      units.push(kreis.id);
      for (let o = 0; o < 2; o++) {
        units.push(
          (
            await insertOrg(db, {
              parentId: kreis.id,
              name: `O${o}`,
              kind: 'local',
              slug: `s${n++}`,
              postalCodes: [],
            })
          ).id,
        );
      }
    }
  }
  const roots = [bund.id, ...units];
  const warm = 50;
  await time(warm, (i) => subtreeIds(db, [roots[i % roots.length]]));
  const closure = await time(500, (i) => subtreeIds(db, [roots[i % roots.length]]));
  const recursive = await time(500, (i) =>
    sql`with recursive t(id) as (select ${roots[i % roots.length]}::uuid union all
        select o.id from org_units o join t on o.parent_id = t.id) select id from t`.execute(db),
  );
  const p50 = percentile(closure, 50);
  const base = percentile(recursive, 50);
  console.log(
    `bench subtree: ${p50.toFixed(3)} ms p50 over ${roots.length} units (${(p50 / base).toFixed(2)} of recursive CTE baseline ${base.toFixed(3)} ms)`,
  );
  console.log(
    `bench subtree-p95: ${percentile(closure, 95).toFixed(3)} ms (${(percentile(closure, 95) / percentile(recursive, 95)).toFixed(2)} of baseline)`,
  );
}

/**
 * People list and search over N people (default 1,000,000) in the demo party: the API's list query
 * (scope join, trigram search, keyset page of 50) against a plain b-tree lookup of 50 people by
 * last name on the same table as baseline.
 */
async function benchPeopleSearch(handle: DatabaseHandle) {
  const { db } = handle;
  const count = countArg();
  await seedDemoOrgs(db);
  const root = (
    await db.selectFrom('orgUnits').select('id').where('slug', '=', 'bundesverband').executeTakeFirstOrThrow()
  ).id;
  const kreis = (
    await db
      .selectFrom('orgUnits')
      .select('id')
      .where('slug', '=', 'kreisverband-leipzig')
      .executeTakeFirstOrThrow()
  ).id;
  const t0 = performance.now();
  await generatePeople(db, { count, rootOrgId: root, batchSize: 5000 });
  await sql`analyze`.execute(db);
  console.log(`(generated ${count} people in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  const names = (
    await sql<{ lastName: string }>`select last_name from people tablesample system (5) limit 200`.execute(db)
  ).rows.map((r) => r.lastName);
  const pick = (i: number) => names[i % names.length];
  const list = (rootOrgId: string, search?: string) =>
    listPeopleQuery(db, { rootOrgId, terms: search ? searchTerms(search) : [], sort: 'name', limit: 50 });
  const runs = 60;
  const baseline = await time(runs, (i) =>
    db
      .selectFrom('people')
      .select(['id', 'firstName', 'lastName'])
      .where('lastName', '=', pick(i))
      .orderBy('firstName')
      .limit(50)
      .execute(),
  );
  await time(10, (i) => list(root, pick(i)));
  report(
    'people-search name',
    await time(runs, (i) => list(root, pick(i))),
    baseline,
    ` over ${count} people`,
  );
  report('people-search name+phone', await time(runs, (i) => list(root, `${pick(i)} 0351`)), baseline);
  report(
    'people-search typo',
    await time(runs, (i) =>
      list(root, `${pick(i).slice(0, -2)}${pick(i).slice(-1)}${pick(i).slice(-2, -1)}`),
    ),
    baseline,
  );
  report(
    'people-search phone digits',
    await time(runs, (i) => list(root, `0341 ${String(100 + i).padStart(3, '0')}`)),
    baseline,
  );
  report('people-list root page', await time(runs, () => list(root)), baseline);
  report('people-list kreis page', await time(runs, () => list(kreis)), baseline);
}

async function seedDemoOrgs(db: DatabaseHandle['db']) {
  const { DEMO_TREE } = await import('../src/server/demo/seed-demo.ts');
  const insert = async (node: typeof DEMO_TREE, parentId: string | null): Promise<void> => {
    const org = await insertOrg(db, {
      parentId,
      name: node.name,
      kind: node.kind,
      slug: slugify(node.name),
      postalCodes: node.postalCodes,
    });
    for (const child of node.children ?? []) await insert(child, org.id);
  };
  await insert(DEMO_TREE, null);
}

const wanted = process.argv.slice(2).filter((a, i, all) => !a.startsWith('-') && all[i - 1] !== '--count');
const names = wanted.length ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`Unknown bench ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(1);
  }
  let handle: DatabaseHandle;
  let cleanup = async () => {};
  if (process.env.DATABASE_URL) {
    const scratch = `draht_bench_${process.pid}`;
    const admin = await openPostgres(process.env.DATABASE_URL, 1);
    await sql.raw(`create database ${scratch}`).execute(admin.db);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${scratch}`;
    handle = await openPostgres(u.toString());
    cleanup = async () => {
      await sql.raw(`drop database ${scratch} with (force)`).execute(admin.db);
      await admin.close();
    };
  } else {
    handle = await openPGlite(newPGlite());
  }
  try {
    await prepareDatabase(handle);
    await bench(handle);
  } finally {
    await handle.close();
    await cleanup();
  }
}
