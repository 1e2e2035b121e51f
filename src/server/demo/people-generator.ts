import { randomUUID } from 'node:crypto';
import { fakerDE as faker } from '@faker-js/faker';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { buildSearchText } from '../people/normalize.ts';

/** Area codes and city names for the demo catchments; other codes get a faker city. */
const CITIES: [prefix: string, city: string, areaCode: string][] = [
  ['010', 'Dresden', '0351'],
  ['011', 'Dresden', '0351'],
  ['012', 'Dresden', '0351'],
  ['013', 'Dresden', '0351'],
  ['041', 'Leipzig', '0341'],
  ['042', 'Leipzig', '0341'],
  ['043', 'Leipzig', '0341'],
  ['091', 'Chemnitz', '0371'],
  ['990', 'Erfurt', '0361'],
  ['991', 'Erfurt', '0361'],
  ['077', 'Jena', '03641'],
  ['994', 'Weimar', '03643'],
];

interface Catchment {
  orgId: string;
  prefix: string;
  depth: number;
}

/** Longest-prefix routing in memory, the same rule as draht_route_postal_code() in SQL. */
function router(catchments: Catchment[]) {
  const sorted = [...catchments].sort((a, b) => b.prefix.length - a.prefix.length || b.depth - a.depth);
  return (postalCode: string) => sorted.find((c) => postalCode.startsWith(c.prefix))?.orgId ?? null;
}

function postalCodeFor(prefix: string): string {
  let code = prefix;
  while (code.length < 5) code += faker.number.int(9);
  return code;
}

function phoneFor(areaCode: string, mobile: boolean): string {
  if (mobile)
    return `${faker.helpers.arrayElement(['0151', '0160', '0170', '0171', '0176'])} ${faker.string.numeric(7)}`;
  return `${areaCode} ${faker.string.numeric(6)}`;
}

/** Youngest age at which the demo lets someone join (most parties take members from 14 or 16). */
export const MIN_JOIN_AGE = 16;
const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A coherent life for one person: an age from 16 to 92 (most between 25 and 75); members joined
 * at 16 or later and not in the future (most within the last 15 years); former members left
 * after they joined; others have no membership dates.
 */
function lifeDates(status: string): { birthDate: string; joinedOn: string | null; leftOn: string | null } {
  const today = Date.now();
  const age = faker.helpers.weightedArrayElement([
    { weight: 12, value: { min: 16, max: 24 } },
    { weight: 60, value: { min: 25, max: 64 } },
    { weight: 23, value: { min: 65, max: 79 } },
    { weight: 5, value: { min: 80, max: 92 } },
  ]);
  const birth = faker.date.birthdate({ min: age.min, max: age.max, mode: 'age' });
  if (status !== 'member' && status !== 'former')
    return { birthDate: isoDay(birth), joinedOn: null, leftOn: null };
  const earliest = birth.getTime() + MIN_JOIN_AGE * 365.25 * DAY + DAY;
  // Recent joins are more common than old ones: a second draw pulls towards today.
  const span = Math.max(DAY, today - earliest);
  const joined = new Date(earliest + span * Math.max(faker.number.float(), faker.number.float()));
  if (status === 'member') return { birthDate: isoDay(birth), joinedOn: isoDay(joined), leftOn: null };
  const left = new Date(joined.getTime() + DAY + (today - joined.getTime() - DAY) * faker.number.float());
  return {
    birthDate: isoDay(birth),
    joinedOn: isoDay(joined),
    leftOn: isoDay(left < new Date(today) ? left : new Date(today)),
  };
}

/**
 * Realistic German people for demos and benchmarks: names, streets, postal codes inside the
 * catchments of the unit's subtree (so routing places them in Ortsverbände), phones, emails,
 * birth dates, member numbers. Inserted in batches with unnest() arrays: one statement per table.
 */
export async function generatePeople(
  db: Db,
  opts: {
    count: number;
    rootOrgId: string;
    seed?: number;
    batchSize?: number;
    onProgress?: (done: number) => void;
  },
): Promise<number> {
  faker.seed(opts.seed ?? 42);
  const { rows } = await sql<Catchment>`
    select o.id as "orgId", pc as prefix, (select max(depth) from org_tree t where t.descendant_id = o.id) as depth
    from org_units o cross join unnest(o.postal_codes) pc
    where o.archived_at is null and o.id in (select descendant_id from org_tree where ancestor_id = ${opts.rootOrgId})`.execute(
    db,
  );
  const route = router(rows);
  const prefixes = rows.length ? [...new Set(rows.map((r) => r.prefix))] : ['10'];
  // Member numbers continue after the highest numeric one: generating again (any seed) never clashes.
  const existing = await sql<{
    max: number | string;
  }>`select coalesce(max(member_number::bigint), 99999) as max from people
     where member_number ~ '^[0-9]{1,15}$'`.execute(db);
  let memberSeq = Number(existing.rows[0]?.max ?? 99_999) + 1;
  const batchSize = opts.batchSize ?? 2000;
  let done = 0;
  while (done < opts.count) {
    const n = Math.min(batchSize, opts.count - done);
    const people: Record<string, unknown[]> = {
      id: [],
      orgId: [],
      firstName: [],
      lastName: [],
      gender: [],
      birthDate: [],
      street: [],
      houseNumber: [],
      postalCode: [],
      city: [],
      memberNumber: [],
      status: [],
      joinedOn: [],
      leftOn: [],
      searchText: [],
    };
    const emails: { personId: string[]; email: string[] } = { personId: [], email: [] };
    const phones: { personId: string[]; raw: string[]; type: string[]; e164: string[] } = {
      personId: [],
      raw: [],
      type: [],
      e164: [],
    };
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const sex = faker.helpers.arrayElement(['female', 'male'] as const);
      const firstName = faker.person.firstName(sex);
      const lastName = faker.person.lastName();
      const prefix = faker.helpers.arrayElement(prefixes);
      const postalCode = postalCodeFor(prefix);
      const known = CITIES.find(([p]) => postalCode.startsWith(p));
      const city = known?.[1] ?? faker.location.city();
      const status = faker.helpers.weightedArrayElement([
        { weight: 55, value: 'member' },
        { weight: 15, value: 'supporter' },
        { weight: 22, value: 'interested' },
        { weight: 8, value: 'former' },
      ]);
      const isMember = status === 'member' || status === 'former';
      const memberNumber = isMember ? String(memberSeq++) : null;
      const personEmails: string[] = [];
      if (faker.number.float() < 0.75) {
        const email = faker.internet
          .email({
            firstName,
            lastName,
            provider: faker.helpers.arrayElement(['example.org', 'example.net', 'example.com']),
          })
          .toLowerCase();
        // A running number keeps generated addresses unique (no false duplicates by email).
        personEmails.push(email.replace('@', `.${done + i + 1}@`));
      }
      const personPhones: { raw: string; e164: string; type: string }[] = [];
      if (faker.number.float() < 0.8) {
        const mobile = faker.number.float() < 0.6;
        const raw = phoneFor(known?.[2] ?? '030', mobile);
        personPhones.push({
          raw,
          e164: `+49${raw.replace(/\D/g, '').slice(1)}`,
          type: mobile ? 'mobile' : 'landline',
        });
      }
      people.id.push(id);
      people.orgId.push(route(postalCode) ?? opts.rootOrgId);
      people.firstName.push(firstName);
      people.lastName.push(lastName);
      people.gender.push(sex);
      const { birthDate, joinedOn, leftOn } = lifeDates(status);
      people.birthDate.push(birthDate);
      people.street.push(faker.location.street());
      people.houseNumber.push(String(faker.number.int({ min: 1, max: 120 })));
      people.postalCode.push(postalCode);
      people.city.push(city);
      people.memberNumber.push(memberNumber);
      people.status.push(status);
      people.joinedOn.push(joinedOn);
      people.leftOn.push(leftOn);
      people.searchText.push(
        buildSearchText({
          firstName,
          lastName,
          memberNumber,
          postalCode,
          city,
          emails: personEmails,
          phones: personPhones,
        }),
      );
      for (const email of personEmails) {
        emails.personId.push(id);
        emails.email.push(email);
      }
      for (const p of personPhones) {
        phones.personId.push(id);
        phones.raw.push(p.raw);
        phones.type.push(p.type);
        phones.e164.push(p.e164);
      }
    }
    await db.transaction().execute(async (trx) => {
      await sql`
        insert into people (id, org_id, first_name, last_name, gender, birth_date, street, house_number, postal_code, city,
                            member_number, membership_status, joined_on, left_on, search_text, source, source_detail)
        select *, 'import', 'Demo-Generator' from unnest(
          ${people.id}::uuid[], ${people.orgId}::uuid[], ${people.firstName}::text[], ${people.lastName}::text[],
          ${people.gender}::text[], ${people.birthDate}::date[], ${people.street}::text[], ${people.houseNumber}::text[],
          ${people.postalCode}::text[], ${people.city}::text[], ${people.memberNumber}::text[], ${people.status}::text[],
          ${people.joinedOn}::date[], ${people.leftOn}::date[], ${people.searchText}::text[])`.execute(trx);
      await sql`
        insert into person_emails (person_id, email, is_primary)
        select *, true from unnest(${emails.personId}::uuid[], ${emails.email}::text[])`.execute(trx);
      await sql`
        insert into person_phones (person_id, raw, type, e164, is_primary)
        select *, true from unnest(${phones.personId}::uuid[], ${phones.raw}::text[], ${phones.type}::text[], ${phones.e164}::text[])`.execute(
        trx,
      );
    });
    done += n;
    opts.onProgress?.(done);
  }
  return done;
}
