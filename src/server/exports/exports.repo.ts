import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { type PeopleFilter, peopleFilter } from '../people/people.repo.ts';

/** People for an export, with their primary email, primary phone, first mobile, unit and tag names. */
export function findPeopleForExport(db: Db, filter: PeopleFilter, limit: number) {
  return db
    .selectFrom('people as p')
    .innerJoin('orgUnits as o', 'o.id', 'p.orgId')
    .select([
      'p.id',
      'p.firstName',
      'p.lastName',
      'p.title',
      'p.street',
      'p.houseNumber',
      'p.postalCode',
      'p.city',
      'p.country',
      'p.memberNumber',
      'p.membershipStatus',
      'p.birthDate',
      'p.joinedOn',
      'p.leftOn',
      'p.doNotCall',
      'p.doNotEmail',
      'p.createdAt',
      'o.name as org',
      sql<
        string | null
      >`(select e.email from person_emails e where e.person_id = p.id order by e.is_primary desc, e.email limit 1)`.as(
        'email',
      ),
      sql<
        string | null
      >`(select ph.raw from person_phones ph where ph.person_id = p.id order by ph.is_primary desc, ph.raw limit 1)`.as(
        'phone',
      ),
      sql<
        string | null
      >`(select ph.raw from person_phones ph where ph.person_id = p.id and ph.type = 'mobile' order by ph.is_primary desc limit 1)`.as(
        'mobile',
      ),
      sql<
        string | null
      >`(select string_agg(t.name, ', ' order by t.name) from person_tags pt join tags t on t.id = pt.tag_id where pt.person_id = p.id)`.as(
        'tags',
      ),
    ])
    .where(peopleFilter(filter))
    .orderBy('p.lastName')
    .orderBy('p.firstName')
    .orderBy('p.id')
    .limit(limit + 1)
    .execute();
}
