import { sql } from 'kysely';
import { type DatabaseHandle, newPGlite, openPGlite, openPostgres } from '../src/server/db/database.ts';
import { insertOrg, subtreeIds } from '../src/server/orgs/orgs.repo.ts';
import { prepareDatabase } from '../src/server/runtime.ts';

/**
 * `npm run bench [-- <name>]`: each bench builds its data, measures the operation and a baseline
 * on the same database in the same run, and prints `bench <name>: <value> <unit> (<ratio> of baseline)`.
 * DATABASE_URL runs it on PostgreSQL (in a scratch database), otherwise on in-memory PGlite.
 */
const BENCHES: Record<string, (h: DatabaseHandle) => Promise<void>> = { subtree: benchSubtree };

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

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
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
