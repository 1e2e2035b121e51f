import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeCityAssignment, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { authJobs } from '../auth/auth.jobs.ts';
import type { Db } from '../db/database.ts';
import { TABLE_OWNERS } from '../db/table-owners.ts';
import { importJobs } from '../imports/imports.jobs.ts';
import { mailJobs } from '../mail/mail.jobs.ts';
import { personTables, privacyCatalogue, privacyDeclarations } from '../privacy-catalogue.ts';
import type { PrivacyDeclaration } from './catalogue.ts';

/**
 * The catalogue against the database: every table with personal data is declared, every name a
 * declaration uses exists, and erasing a person does what the declarations say.
 */

let t: TestApp;
let orgs: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
});
afterAll(() => t.close());

/** Column names that mean personal data (of a person, a user or someone known by address). */
const PERSONAL_COLUMN =
  /^(person_id|person_a|person_b|user_id|.+_user_id|email|.+_email|to_address|phone|.+_phone|e164|raw|first_name|last_name|name|birth_date|street|ip|.+_ip|user_agent|.*_body|body|note|text|.*_reason|reason|value|cells|member_number|.*member_numbers)$/;

async function columnsByTable(db: Db): Promise<Map<string, Map<string, string>>> {
  const { rows } = await sql<{ tableName: string; columnName: string; dataType: string }>`
    select c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.table_name not like 'draht_migrations%'
    order by c.table_name, c.ordinal_position`.execute(db);
  const tables = new Map<string, Map<string, string>>();
  for (const r of rows) {
    if (!tables.has(r.tableName)) tables.set(r.tableName, new Map());
    tables.get(r.tableName)!.set(r.columnName, r.dataType);
  }
  return tables;
}

const personalColumnsOf = (columns: Map<string, string>) =>
  [...columns].filter(([name, type]) => PERSONAL_COLUMN.test(name) || type === 'bytea').map(([n]) => n);

/** Every column name a declaration uses, with where it is used. */
function namedColumns(d: PrivacyDeclaration): { table: string; column: string; use: string }[] {
  const own = (column: string, use: string) => ({ table: d.table, column, use });
  const named = [
    ...d.subjectColumns.map((c) => own(c, 'subjectColumns')),
    ...Object.keys(d.subjectWhere ?? {}).map((c) => own(c, 'subjectWhere')),
    ...d.personalColumns.map((c) => own(c, 'personalColumns')),
    ...('columns' in d.access ? d.access.columns.map((c) => own(c, 'access')) : []),
    ...(d.erasure.action === 'anonymise' ? Object.keys(d.erasure.columns).map((c) => own(c, 'erasure')) : []),
  ];
  if (d.retention.kind === 'rules') {
    for (const rule of d.retention.rules) {
      const [table, column] = rule.from.includes('.') ? rule.from.split('.') : [d.table, rule.from];
      named.push({ table: table!, column: column!, use: 'retention.from' });
      if (typeof rule.action === 'object')
        for (const c of rule.action.clear) named.push(own(c, 'retention.clear'));
    }
  }
  return named;
}

describe('the privacy catalogue', () => {
  it('declares every table with personal data, and every personal column of a declared table', async () => {
    const tables = await columnsByTable(t.db);
    const declared = new Map(privacyDeclarations().map((d) => [d.table, d]));
    const exempt = new Set(privacyCatalogue.flatMap((d) => (d.notPersonal ?? []).map((n) => n.table)));
    const undeclared: string[] = [];
    const unlisted: string[] = [];
    for (const [table, columns] of tables) {
      const personal = personalColumnsOf(columns);
      const d = declared.get(table);
      if (!d) {
        if (personal.length && !exempt.has(table)) undeclared.push(`${table} (${personal.join(', ')})`);
        continue;
      }
      const listed = new Set([...d.subjectColumns, ...d.personalColumns]);
      for (const c of personal) if (!listed.has(c)) unlisted.push(`${table}.${c}`);
    }
    // A table listed here needs a declaration in its domain's <domain>.privacy.ts (or, when the
    // column only looks personal, a `notPersonal` entry with the reason).
    expect(undeclared).toEqual([]);
    // A personal column of a declared table must be in its subjectColumns or personalColumns.
    expect(unlisted).toEqual([]);
  });

  it('names only tables and columns that exist, each table once, with a reason for every exemption', async () => {
    const tables = await columnsByTable(t.db);
    const missing: string[] = [];
    for (const d of privacyDeclarations()) {
      if (!tables.has(d.table)) {
        missing.push(d.table);
        continue;
      }
      for (const n of namedColumns(d)) {
        if (!tables.get(n.table)?.has(n.column))
          missing.push(`${n.table}.${n.column} (${d.table}: ${n.use})`);
      }
    }
    for (const d of privacyCatalogue) {
      for (const n of d.notPersonal ?? []) {
        if (!tables.has(n.table)) missing.push(`${n.table} (notPersonal of ${d.domain})`);
        expect(n.reason.length).toBeGreaterThan(10);
      }
    }
    expect(missing).toEqual([]);

    const names = privacyDeclarations().map((d) => d.table);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const exempt = privacyCatalogue.flatMap((d) => (d.notPersonal ?? []).map((n) => n.table));
    expect(exempt.filter((n) => names.includes(n))).toEqual([]);
    for (const d of privacyDeclarations()) {
      expect(d.purpose.length, d.table).toBeGreaterThan(10);
      if (d.erasure.action === 'keep') expect(d.erasure.reason.length, d.table).toBeGreaterThan(10);
      if (d.subject !== 'address') expect(d.subjectColumns.length, d.table).toBeGreaterThan(0);
    }
  });

  it("declares each table in its owner's <domain>.privacy.ts", () => {
    const misplaced = privacyCatalogue.flatMap((d) =>
      [...d.tables.map((x) => x.table), ...(d.notPersonal ?? []).map((n) => n.table)]
        .filter((table) => TABLE_OWNERS[table] !== d.domain)
        .map((table) => `${table}: declared by ${d.domain}, owned by ${TABLE_OWNERS[table]}`),
    );
    expect(misplaced).toEqual([]);
  });

  it('names only retention jobs that exist', () => {
    const jobs = new Set([authJobs, mailJobs, importJobs].flatMap((m) => Object.keys(m)));
    const named = privacyDeclarations().flatMap((d) =>
      d.retention.kind === 'rules' ? d.retention.rules.map((r) => ({ table: d.table, job: r.job })) : [],
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((n) => !jobs.has(n.job))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Erasure: what DELETE /api/people/:id does, table by table, against the declarations.

async function primaryKeyOf(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ columnName: string }>`
    select k.column_name from information_schema.table_constraints c
    join information_schema.key_column_usage k
      on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
    where c.table_schema = 'public' and c.table_name = ${table} and c.constraint_type = 'PRIMARY KEY'
    order by k.ordinal_position`.execute(db);
  return rows.map((r) => r.columnName);
}

const ident = (name: string) => sql.ref(name);

/** Rows of `d` naming the person, as their primary-key values (JSON text, comparable). */
async function rowsOfPerson(db: Db, d: PrivacyDeclaration, personId: string): Promise<string[]> {
  const pk = await primaryKeyOf(db, d.table);
  expect(pk.length, `${d.table} has a primary key`).toBeGreaterThan(0);
  const naming = sql.join(
    d.subjectColumns.map((c) => sql`${ident(c)}::text = ${personId}`),
    sql` or `,
  );
  const where = Object.entries(d.subjectWhere ?? {}).map(([c, v]) => sql` and ${ident(c)}::text = ${v}`);
  const { rows } = await sql<{ key: string }>`
    select json_build_array(${sql.join(pk.map((c) => sql`${ident(c)}::text`))})::text as key
    from ${ident(d.table)} where (${naming}) ${sql.join(where, sql``)}`.execute(db);
  return rows.map((r) => r.key).sort();
}

/** The rows with these primary keys, with the values of the given columns (by column name). */
async function rowsByKey(db: Db, table: string, keys: string[], columns: string[]) {
  const pk = await primaryKeyOf(db, table);
  // The values come as a JSON array in column order (object keys would be camel-cased on the way).
  const { rows } = await sql<{ key: string; values: unknown[] }>`
    select json_build_array(${sql.join(pk.map((c) => sql`${ident(c)}::text`))})::text as key,
      json_build_array(${sql.join(columns.length ? columns.map((c) => ident(c)) : [sql`null`])}) as values
    from ${ident(table)}
    where json_build_array(${sql.join(pk.map((c) => sql`${ident(c)}::text`))})::text = any(${keys}::text[])`.execute(
    db,
  );
  return rows.map((r) => ({
    key: r.key,
    row: Object.fromEntries(columns.map((c, i) => [c, r.values[i]])) as Record<string, unknown>,
  }));
}

const isCleared = (v: unknown) => {
  expect(v).not.toBeUndefined();
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
};
const hasFreeText = (v: unknown) => {
  expect(Array.isArray(v)).toBe(true);
  return (v as unknown[]).some((a) => (a as { free?: boolean }).free === true);
};

describe('erasing a person', () => {
  let organizer: Client;
  let caller: Client;

  beforeAll(async () => {
    organizer = await loginAs(t, 'organizer', orgs.kreisA1);
    caller = await loginAs(t, 'caller', orgs.kreisA1);
  });

  const newPerson = async (city: string, lastName: string) => {
    const res = await organizer.post('/api/people', {
      orgId: orgs.kreisA1,
      firstName: 'Erika',
      lastName,
      city,
      emails: [{ email: `${lastName.toLowerCase()}@example.org` }],
      phones: [{ number: '0171 1234567' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  /**
   * A person with rows in every table the catalogue declares for people: a new declaration makes
   * this test fail ("no rows") until the setup below creates a row for it.
   */
  async function personEverywhere() {
    const city = `Löschstadt-${randomUUID().slice(0, 6)}`;
    const personId = await newPerson(city, 'Musterfrau');
    const other = await newPerson(`${city}-anders`, 'Andere');
    const mergedAway = await newPerson(`${city}-doppelt`, 'Doppelt');

    const tag = await organizer.post(`/api/orgs/${orgs.kreisA1}/tags`, { name: `Löschtest ${city}` });
    expect(tag.statusCode, tag.body).toBe(201);
    expect(
      (await organizer.put(`/api/people/${personId}/tags`, { tagIds: [tag.json().id] })).statusCode,
    ).toBe(200);
    expect(
      (await organizer.post(`/api/people/${personId}/notes`, { text: 'Ruft gern abends an' })).statusCode,
    ).toBe(201);
    expect((await organizer.patch(`/api/people/${personId}`, { street: 'Hauptstraße' })).statusCode).toBe(
      200,
    );
    const snapshot = await organizer.post('/api/queries', {
      orgId: orgs.kreisA1,
      name: `Fest ${city}`,
      mode: 'snapshot',
      filter: { kind: 'field', field: 'city', op: 'equals', value: city },
    });
    expect(snapshot.statusCode, snapshot.body).toBe(201);

    // A reached call with a note, a free-text answer, a follow-up and newsletter interest.
    const calling = await makeCityAssignment(organizer, orgs.kreisA1, city, {
      questions: [
        { id: 'topic', type: 'single_choice', text: 'Thema?', options: ['Miete', 'Klima'] },
        { id: 'free', type: 'free_text', text: 'Sonst?' },
      ],
    });
    const claiming = await makeCityAssignment(organizer, orgs.kreisA1, city);
    for (const a of [calling, claiming]) {
      expect(
        (await organizer.post(`/api/call-assignments/${a.id}/callers`, { userId: caller.userId })).statusCode,
      ).toBe(200);
    }
    const call = (await caller.post(`/api/call-assignments/${calling.id}/next`)).json().call;
    expect(call.person.id).toBe(personId);
    const recorded = await caller.post(`/api/calls/${call.id}/outcome`, {
      clientId: randomUUID(),
      outcome: 'reached',
      answers: [
        { questionId: 'topic', value: 'Miete' },
        { questionId: 'free', value: 'Wohnt bei ihrer Tochter' },
      ],
      note: 'Sehr engagiert',
      newsletter: true,
      followUp: { reason: 'Möchte im Vorstand mitarbeiten' },
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    // A claim in progress in the other assignment.
    expect((await caller.post(`/api/call-assignments/${claiming.id}/next`)).json().call.person.id).toBe(
      personId,
    );

    // Duplicate pairs (as a scan writes them): one open, one that a merge then settles.
    await t.db
      .insertInto('duplicateCandidates')
      .values([
        {
          personA: [personId, other].sort()[0]!,
          personB: [personId, other].sort()[1]!,
          score: 0.7,
          reasons: ['name'],
        },
        {
          personA: [personId, mergedAway].sort()[0]!,
          personB: [personId, mergedAway].sort()[1]!,
          score: 0.9,
          reasons: ['name'],
        },
      ])
      .execute();
    const merged = await organizer.post('/api/people/merge', {
      keepId: personId,
      mergeIds: [mergedAway],
      fields: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);

    // A running import that matched the person (its seen list).
    const imp = await t.db
      .insertInto('imports')
      .values({ orgId: orgs.kreisA1, fileName: 'mitglieder.csv', status: 'running', mode: 'sync' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('importSeen').values({ importId: imp.id, personId }).execute();

    // A mailing sent to the list with the person: their frozen recipient row.
    const admin = await loginAs(t, 'admin', orgs.kreisA1);
    const settings = await admin.put(`/api/orgs/${orgs.kreisA1}/mail-settings`, {
      senderName: 'Kreis A1',
      senderAddressId: null,
      replyTo: null,
      footer: 'Kreis A1, Musterstraße 1, 01067 Dresden',
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const mailing = await organizer.post('/api/mailings', {
      orgId: orgs.kreisA1,
      subject: 'Einladung',
      html: '<p>Hallo {{firstName}}</p>',
      purpose: 'member_info',
      queryId: snapshot.json().id,
    });
    expect(mailing.statusCode, mailing.body).toBe(201);
    const sent = await organizer.post(`/api/mailings/${mailing.json().id}/send`, {});
    expect(sent.statusCode, sent.body).toBe(200);

    return { personId, other };
  }

  it('does to every declared table what its declaration says', async () => {
    const { personId, other } = await personEverywhere();
    const declarations = personTables();
    expect(declarations.length).toBeGreaterThan(10);

    const before = new Map<string, string[]>();
    for (const d of declarations) {
      const keys = await rowsOfPerson(t.db, d, personId);
      expect(
        keys.length,
        `the test creates no rows in ${d.table}: extend personEverywhere()`,
      ).toBeGreaterThan(0);
      before.set(d.table, keys);
      if (d.erasure.action === 'anonymise') {
        // The columns to clear hold something before, or the check below proves nothing.
        const rows = await rowsByKey(t.db, d.table, keys, Object.keys(d.erasure.columns));
        for (const [column, as] of Object.entries(d.erasure.columns)) {
          const filled = rows.some((r) =>
            as === 'null' ? !isCleared(r.row[column]) : hasFreeText(r.row[column]),
          );
          expect(filled, `${d.table}.${column} is set before the erasure`).toBe(true);
        }
      }
    }

    expect((await organizer.delete(`/api/people/${personId}`)).statusCode).toBe(204);

    for (const d of declarations) {
      const keys = before.get(d.table)!;
      const after = await rowsOfPerson(t.db, d, personId);
      const stillThere = (await rowsByKey(t.db, d.table, keys, [])).map((r) => r.key).sort();
      switch (d.erasure.action) {
        case 'erase':
          expect(after, `${d.table}: rows naming the person are gone`).toEqual([]);
          expect(stillThere, `${d.table}: the person's rows are gone`).toEqual([]);
          break;
        case 'anonymise': {
          expect(stillThere, `${d.table}: rows stay`).toEqual(keys);
          const columns = d.erasure.columns;
          const rows = await rowsByKey(t.db, d.table, keys, Object.keys(columns));
          for (const r of rows) {
            for (const [column, as] of Object.entries(columns)) {
              if (as === 'null') expect(isCleared(r.row[column]), `${d.table}.${column} cleared`).toBe(true);
              else expect(hasFreeText(r.row[column]), `${d.table}.${column}: free text dropped`).toBe(false);
            }
          }
          break;
        }
        case 'keep':
          expect(stillThere, `${d.table}: rows stay`).toEqual(keys);
          expect(after, `${d.table}: rows still name the person`).toEqual(expect.arrayContaining(keys));
          break;
      }
    }

    // What erasure keeps of the call: outcome and the choice answer (the campaign counts).
    const kept = await t.db
      .selectFrom('calls')
      .select(['outcome', 'answers', 'newsletter'])
      .where('personId', 'is', null)
      .where('outcome', '=', 'reached')
      .execute();
    expect(kept).toContainEqual(
      expect.objectContaining({ outcome: 'reached', answers: [{ questionId: 'topic', value: 'Miete' }] }),
    );
    // The other person of a duplicate pair keeps their own data.
    expect((await organizer.get(`/api/people/${other}`)).statusCode).toBe(200);
  });

  it('keeps a merged pair as history while the kept person exists', async () => {
    const a = await newPerson(`Mergestadt-${randomUUID().slice(0, 6)}`, 'Eins');
    const b = await newPerson(`Mergestadt-${randomUUID().slice(0, 6)}`, 'Zwei');
    const [personA, personB] = [a, b].sort() as [string, string];
    await t.db
      .insertInto('duplicateCandidates')
      .values({ personA, personB, score: 0.9, reasons: ['name'] })
      .execute();
    expect(
      (await organizer.post('/api/people/merge', { keepId: a, mergeIds: [b], fields: {} })).statusCode,
    ).toBe(200);
    const pair = () =>
      t.db
        .selectFrom('duplicateCandidates')
        .select('status')
        .where('personA', '=', personA)
        .where('personB', '=', personB)
        .execute();
    expect(await pair()).toEqual([{ status: 'merged' }]);
    expect((await organizer.delete(`/api/people/${a}`)).statusCode).toBe(204);
    expect(await pair()).toEqual([]);
  });
});
