import { sql } from 'kysely';
import { type DatabaseHandle, newPGlite, openPGlite, openPostgres } from '../src/server/db/database.ts';
import { generatePeople } from '../src/server/demo/people-generator.ts';
import { scanDuplicates } from '../src/server/duplicates/duplicates.service.ts';
import { registerAllFilterKinds } from '../src/server/filter-kinds.ts';
import { insertOrg, subtreeIds } from '../src/server/orgs/orgs.repo.ts';
import { slugify } from '../src/server/orgs/slug.ts';
import { searchTerms } from '../src/server/people/normalize.ts';
import { listPeople as listPeopleQuery } from '../src/server/people/people.repo.ts';
import { compileFilter, prepareFilter } from '../src/server/queries/filter-registry.ts';
import { countPeople } from '../src/server/queries/queries.repo.ts';
import { prepareDatabase } from '../src/server/runtime.ts';
import type { FilterNode } from '../src/shared/queries.ts';
import { benchBundle } from './bundle.bench.ts';
import { benchCalling } from './calling.bench.ts';
import { benchEvaluation } from './evaluation.bench.ts';
import { benchImport } from './import.bench.ts';
import { benchMail } from './mail.ts';

/**
 * `npm run bench [-- <name>]`: each bench builds its data, measures the operation and a baseline
 * on the same database in the same run, and prints `bench <name>: <value> <unit> (<ratio> of baseline)`.
 * DATABASE_URL runs it on PostgreSQL (in a scratch database), otherwise on in-memory PGlite.
 */
const BENCHES: Record<string, (h: DatabaseHandle) => Promise<void>> = {
  subtree: benchSubtree,
  'people-search': benchPeopleSearch,
  duplicates: benchDuplicates,
  import: (h) => benchImport(h),
  search: benchSearch,
  calling: (h) => benchCalling(h, countArg()),
  evaluation: (h) => benchEvaluation(h, countArg(250_000)),
  bundle: () => benchBundle(),
  mail: (h) => benchMail(h),
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

/**
 * Duplicate scan over N people (default 1,000,000) of the demo party, generated set-based with
 * generate_series: long-tailed synthetic surnames, 5,000 postal codes, birth dates for 70 %, an
 * email for 80 %, a phone for 60 %, plus 2 % planted duplicates (same email in other case, same
 * number, or a surname typo with the same birth date). Measures the whole-party scan (upsert of
 * all pairs included) against a bare `count(*)` self-join on the email key, and reports how many
 * planted pairs were found.
 */
/**
 * Smart search: the count of a 4-filter query (unit subtree + tag + postal-code prefix + age
 * range) compiled from the filter tree, against the same count written by hand.
 */
async function benchSearch(handle: DatabaseHandle) {
  const { db } = handle;
  const count = countArg();
  await seedDemoOrgs(db);
  const slug = async (s: string) =>
    (await db.selectFrom('orgUnits').select('id').where('slug', '=', s).executeTakeFirstOrThrow()).id;
  const root = await slug('bundesverband');
  const t0 = performance.now();
  await generatePeople(db, { count, rootOrgId: root, batchSize: 5000 });
  // A tag on about every fifth person.
  const tag = (
    await db
      .insertInto('tags')
      .values({ orgId: root, name: 'Aktiv' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await sql`insert into person_tags (person_id, tag_id) select id, ${tag}::uuid from people where ('x' || substr(md5(id::text), 1, 2))::bit(8)::int < 51`.execute(
    db,
  );
  await sql`analyze`.execute(db);
  console.log(`(generated ${count} people in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  const units = (
    await db
      .selectFrom('orgUnits')
      .select(['id', 'slug'])
      .where('kind', 'in', ['state', 'district'])
      .execute()
  ).map((u) => u.id);
  const prefixes = ['0', '01', '04', '1', '2', '5', '8', '9'];
  const ages = [
    [18, 35],
    [30, 60],
    [50, 80],
    [65, 99],
  ];
  const args = (i: number) => ({
    org: units[i % units.length],
    prefix: prefixes[i % prefixes.length],
    age: ages[i % ages.length],
  });
  const compiled = async (i: number) => {
    const a = args(i);
    const filter: FilterNode = {
      kind: 'group',
      op: 'and',
      children: [
        { kind: 'tags', match: 'any', tagIds: [tag] },
        { kind: 'postalCode', op: 'startsWith', values: [a.prefix] },
        { kind: 'age', min: a.age[0], max: a.age[1] },
      ],
    };
    const prepared = await prepareFilter({ db, orgId: a.org, filter, loadQuery: async () => undefined });
    return countPeople(db, a.org, compileFilter(prepared));
  };
  const byHand = (i: number) => {
    const a = args(i);
    return sql`select count(*) from people p
      where p.org_id in (select descendant_id from org_tree where ancestor_id = ${a.org})
        and exists (select 1 from person_tags pt where pt.person_id = p.id and pt.tag_id = ${tag})
        and p.postal_code like ${`${a.prefix}%`}
        and p.birth_date <= (current_date - make_interval(years => ${a.age[0]}))::date
        and p.birth_date > (current_date - make_interval(years => ${a.age[1] + 1}))::date`.execute(db);
  };
  const runs = 40;
  await time(5, compiled);
  await time(5, byHand);
  const baseline = await time(runs, byHand);
  report('search count 4 filters', await time(runs, compiled), baseline, ` over ${count} people`);
}

async function benchDuplicates(handle: DatabaseHandle) {
  const { db } = handle;
  const count = countArg();
  await seedDemoOrgs(db);
  const root = (
    await db.selectFrom('orgUnits').select('id').where('slug', '=', 'bundesverband').executeTakeFirstOrThrow()
  ).id;
  const t0 = performance.now();
  const firsts = [
    'Anna',
    'Lena',
    'Marie',
    'Sophie',
    'Laura',
    'Julia',
    'Sarah',
    'Lisa',
    'Katharina',
    'Hannah',
    'Jana',
    'Sabine',
    'Petra',
    'Monika',
    'Ursula',
    'Andrea',
    'Claudia',
    'Birgit',
    'Karin',
    'Heike',
    'Jürgen',
    'Peter',
    'Thomas',
    'Michael',
    'Andreas',
    'Stefan',
    'Frank',
    'Klaus',
    'Uwe',
    'Wolfgang',
    'Lukas',
    'Jonas',
    'Leon',
    'Felix',
    'Paul',
    'Max',
    'Tim',
    'Jan',
    'Niklas',
    'Tobias',
    'Sebastian',
    'Florian',
    'Daniel',
    'Markus',
    'Christian',
    'Matthias',
    'Holger',
    'Ralf',
    'Jörg',
    'Dirk',
    'Emma',
    'Mia',
    'Lea',
    'Emilia',
    'Clara',
    'Greta',
    'Ida',
    'Frieda',
    'Ole',
    'Emil',
  ];
  const heads = [
    'Schm',
    'Müll',
    'Schn',
    'Fisch',
    'Web',
    'Mey',
    'Wag',
    'Beck',
    'Schul',
    'Hoff',
    'Koch',
    'Rich',
    'Klein',
    'Wolf',
    'Schröd',
    'Neum',
    'Schwar',
    'Zimm',
    'Braun',
    'Krüg',
    'Hof',
    'Hart',
    'Lang',
    'Wern',
    'Lehm',
    'Kraus',
    'Walt',
    'Köh',
    'Maier',
    'Kais',
    'Fuch',
    'Pet',
    'Schol',
    'Möll',
    'Jung',
    'Hahn',
    'Vog',
    'Fried',
    'Keller',
    'Günth',
  ];
  const tails = [
    'er',
    'mann',
    'idt',
    'ert',
    'berg',
    'ke',
    'ler',
    'ner',
    'ig',
    'feld',
    'hardt',
    'stein',
    'ow',
    'ski',
    'bach',
    'dorf',
    'el',
    'ing',
    'rich',
    'hold',
  ];
  await sql`select setseed(0.42)`.execute(db);
  await sql`
    insert into people (org_id, first_name, last_name, birth_date, postal_code, city, source, source_detail)
    select orgs.ids[1 + floor(random() * cardinality(orgs.ids))::int],
           f.a[1 + floor(random() * cardinality(f.a))::int],
           h.a[1 + floor(power(random(), 2) * cardinality(h.a))::int] || t.a[1 + floor(power(random(), 1.5) * cardinality(t.a))::int],
           case when random() < 0.7 then date '1940-01-01' + floor(random() * 24000)::int end,
           lpad((1000 + floor(random() * 5000)::int * 19)::text, 5, '0'),
           'Stadt', 'bench', n::text
    from generate_series(1, ${count}::int) n,
         (select array_agg(id) as ids from org_units) orgs,
         (select ${sql.val(firsts)}::text[] as a) f,
         (select ${sql.val(heads)}::text[] as a) h,
         (select ${sql.val(tails)}::text[] as a) t`.execute(db);
  await sql`insert into person_emails (person_id, email, is_primary)
    select id, 'p' || source_detail || '@example.org', true from people where random() < 0.8`.execute(db);
  await sql`insert into person_phones (person_id, raw, e164, type, is_primary)
    select id, '0151 ' || source_detail, '+49151' || lpad(source_detail, 8, '0'), 'mobile', true
    from people where random() < 0.6`.execute(db);
  // Planted duplicates: every 50th person gets a second record (kind by n % 3).
  await sql`
    insert into people (org_id, first_name, last_name, birth_date, postal_code, city, source, source_detail)
    select org_id,
           case when source_detail::int % 3 = 2 then first_name else 'Z' || first_name end,
           case when source_detail::int % 3 = 2
                then left(last_name, 2) || substr(last_name, 4, 1) || substr(last_name, 3, 1) || substr(last_name, 5)
                else last_name end,
           birth_date, case when source_detail::int % 3 = 2 then postal_code end, city, 'bench', 'dup:' || source_detail
    from people where source_detail::int % 50 = 0`.execute(db);
  await sql`insert into person_emails (person_id, email)
    select d.id, upper(e.email) from people d
    join people o on o.source_detail = substr(d.source_detail, 5)
    join person_emails e on e.person_id = o.id
    where d.source_detail like 'dup:%' and substr(d.source_detail, 5)::int % 3 = 0`.execute(db);
  await sql`insert into person_phones (person_id, raw, e164)
    select d.id, ph.raw, ph.e164 from people d
    join people o on o.source_detail = substr(d.source_detail, 5)
    join person_phones ph on ph.person_id = o.id
    where d.source_detail like 'dup:%' and substr(d.source_detail, 5)::int % 3 = 1`.execute(db);
  await sql`analyze`.execute(db);
  const total = Number(
    (await sql<{ n: number }>`select count(*)::int as n from people`.execute(db)).rows[0].n,
  );
  console.log(`(generated ${total} people in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);

  const b0 = performance.now();
  await sql`select count(*) from person_emails x join person_emails y
            on lower(y.email) = lower(x.email) and x.person_id < y.person_id`.execute(db);
  const baseline = performance.now() - b0;
  const s0 = performance.now();
  const pairs = await scanDuplicates(db, root);
  const scan = performance.now() - s0;
  const r0 = performance.now();
  await scanDuplicates(db, root);
  const rescan = performance.now() - r0;
  const { rows } = await sql<{ planted: number; found: number }>`
    select count(*)::int as planted,
           count(c.id)::int as found
    from people d
    join people o on o.source_detail = substr(d.source_detail, 5)
    left join duplicate_candidates c
      on c.person_a = least(d.id, o.id) and c.person_b = greatest(d.id, o.id)
    where d.source_detail like 'dup:%'`.execute(db);
  const sec = (ms: number) => (ms / 1000).toFixed(1);
  console.log(
    `bench duplicates-scan: ${sec(scan)} s over ${total} people, ${pairs} pairs (${(scan / baseline).toFixed(2)} of baseline ${sec(baseline)} s email self-join count)`,
  );
  console.log(`bench duplicates-rescan: ${sec(rescan)} s (${(rescan / baseline).toFixed(2)} of baseline)`);
  console.log(
    `bench duplicates-recall: ${rows[0].found} of ${rows[0].planted} planted pairs found (${(rows[0].found / rows[0].planted).toFixed(3)})`,
  );
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

const VALUE_FLAGS = ['--count', '--seconds', '--calls', '--runs'];
const wanted = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('-') && !VALUE_FLAGS.includes(all[i - 1]));
const names = wanted.length ? wanted : Object.keys(BENCHES);
registerAllFilterKinds();
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
      // `--keep`: leave the scratch database for a look with psql (drop it by hand).
      if (process.argv.includes('--keep')) console.log(`(kept database ${scratch})`);
      else await sql.raw(`drop database ${scratch} with (force)`).execute(admin.db);
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
