import { sql } from 'kysely';
import type { FilterNode } from '../../shared/queries.ts';
import { currentConsentText } from '../consents/consent-texts.ts';
import type { Db } from '../db/database.ts';
import * as mailSettings from '../mail/mail-settings.repo.ts';
import { insertQuery } from '../queries/queries.repo.ts';

/** Share of the demo people in Sachsen with a confirmed newsletter consent of the Landesverband. */
const NEWSLETTER_SHARE = 0.3;

/**
 * The mailer ready to try in the demo: an allowed sender address, sender name and imprint for the
 * Bundesverband (inherited below) and Sachsen, two saved lists of the Sachsen organizer, and
 * confirmed newsletter consents for part of Sachsen (marked as demo data in their proof), so both
 * purposes have someone to reach.
 */
export async function seedDemoMail(
  db: Db,
  o: { units: Map<string, string>; userIds: Map<string, string> },
): Promise<void> {
  const unit = (key: string) => o.units.get(key) as string;
  const user = (name: string) => o.userIds.get(`${name}@demo.draht.local`) as string;
  const admin = user('admin');
  const sender = await mailSettings.insertSenderAddress(db, 'post@demo-partei.example', admin);
  if (!sender) throw new Error('the demo sender address exists already');
  await mailSettings.upsertSettings(db, {
    orgId: unit('bund'),
    senderName: 'Demo-Partei',
    senderAddressId: sender.id,
    replyTo: 'kontakt@demo-partei.example',
    footer: 'Demo-Partei · Bundesgeschäftsstelle · Musterstraße 1 · 10115 Berlin\nV.i.S.d.P.: Alex Admin',
    updatedBy: admin,
  });
  await mailSettings.upsertSettings(db, {
    orgId: unit('sachsen'),
    senderName: 'Demo-Partei Sachsen',
    senderAddressId: sender.id,
    replyTo: 'sachsen@demo-partei.example',
    footer: 'Demo-Partei · Landesverband Sachsen · Am Markt 2 · 01067 Dresden\nV.i.S.d.P.: Sabine Sommer',
    updatedBy: admin,
  });

  const organizer = user('organizer.sachsen');
  const lists: { name: string; description: string; filter: FilterNode }[] = [
    {
      name: 'Mitglieder Sachsen',
      description: 'Alle Mitglieder des Landesverbands (Demo)',
      filter: { kind: 'status', statuses: ['member'] },
    },
    {
      name: 'Interessierte in Dresden',
      description: 'Interessierte und Unterstützer*innen im Kreisverband Dresden (Demo)',
      filter: {
        kind: 'group',
        op: 'and',
        children: [
          { kind: 'status', statuses: ['interested', 'supporter'] },
          { kind: 'orgUnit', orgId: unit('dresden'), include: 'subtree' },
        ],
      },
    },
  ];
  for (const l of lists)
    await insertQuery(db, { orgId: unit('sachsen'), ownerId: organizer, mode: 'dynamic', ...l });

  const text = currentConsentText('newsletter', 'de');
  // One statement: demo consents with their ledger rows (a real consent is granted only by the
  // double opt-in; these say so in their proof).
  await sql`
    with picked as (
      select p.id from people p
      join org_tree t on t.descendant_id = p.org_id and t.ancestor_id = ${unit('sachsen')}::uuid
      join person_emails e on e.person_id = p.id and e.status = 'valid'
      where p.do_not_email = false
      group by p.id
      having (abs(hashtext(p.id::text)) % 1000) < ${Math.round(NEWSLETTER_SHARE * 1000)}
    ), granted as (
      insert into consents (person_id, channel, purpose, org_id, status, source, text_version, text_hash,
                            proof, granted_at, confirmed_at)
      select id, 'newsletter', 'newsletter', ${unit('sachsen')}::uuid, 'granted', 'form', ${text.version},
             ${text.hash}, '{"demo": true}'::jsonb, now(), now()
      from picked
      returning id, person_id
    )
    insert into consent_events (consent_id, person_id, status, source, text_version, text_hash, proof)
    select id, person_id, 'granted', 'form', ${text.version}, ${text.hash}, '{"demo": true}'::jsonb
    from granted`.execute(db);
}
