import * as authRepo from '../auth/auth.repo.ts';
import { hashPassword, readableCode } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import type { OrgKind, Role } from '../db/schema.ts';
import { registerAllFilterKinds } from '../filter-kinds.ts';
import * as membershipsRepo from '../memberships/memberships.repo.ts';
import * as orgsRepo from '../orgs/orgs.repo.ts';
import { slugify } from '../orgs/slug.ts';
import { generatePeople } from './people-generator.ts';
import { seedDemoCampaign } from './seed-campaign.ts';
import { seedDemoMail } from './seed-mail.ts';

interface DemoOrg {
  key: string;
  name: string;
  kind: OrgKind;
  postalCodes: string[];
  children?: DemoOrg[];
}

/** A demo party: Bund → 2 Länder → 3 Kreise each → 2 Ortsverbände each, plus one working group. */
export const DEMO_TREE: DemoOrg = {
  key: 'bund',
  name: 'Bundesverband',
  kind: 'federal',
  postalCodes: [],
  children: [
    {
      key: 'sachsen',
      name: 'Landesverband Sachsen',
      kind: 'state',
      postalCodes: ['01', '02', '04', '08', '09'],
      children: [
        {
          key: 'dresden',
          name: 'Kreisverband Dresden',
          kind: 'district',
          postalCodes: ['010', '011', '012', '013'],
          children: [
            {
              key: 'dresden-neustadt',
              name: 'Ortsverband Dresden-Neustadt',
              kind: 'local',
              postalCodes: ['01097', '01099'],
            },
            {
              key: 'dresden-altstadt',
              name: 'Ortsverband Dresden-Altstadt',
              kind: 'local',
              postalCodes: ['01067', '01069'],
            },
          ],
        },
        {
          key: 'leipzig',
          name: 'Kreisverband Leipzig',
          kind: 'district',
          postalCodes: ['041', '042', '043'],
          children: [
            {
              key: 'leipzig-sued',
              name: 'Ortsverband Leipzig-Süd',
              kind: 'local',
              postalCodes: ['04275', '04277', '04279'],
            },
            {
              key: 'leipzig-ost',
              name: 'Ortsverband Leipzig-Ost',
              kind: 'local',
              postalCodes: ['04315', '04317', '04318'],
            },
          ],
        },
        {
          key: 'chemnitz',
          name: 'Kreisverband Chemnitz',
          kind: 'district',
          postalCodes: ['091'],
          children: [
            {
              key: 'chemnitz-zentrum',
              name: 'Ortsverband Chemnitz-Zentrum',
              kind: 'local',
              postalCodes: ['09111', '09113'],
            },
            {
              key: 'chemnitz-kassberg',
              name: 'Ortsverband Chemnitz-Kaßberg',
              kind: 'local',
              postalCodes: ['09112'],
            },
          ],
        },
      ],
    },
    {
      key: 'thueringen',
      name: 'Landesverband Thüringen',
      kind: 'state',
      postalCodes: ['07', '36', '37', '96', '98', '99'],
      children: [
        {
          key: 'erfurt',
          name: 'Kreisverband Erfurt',
          kind: 'district',
          postalCodes: ['990', '991'],
          children: [
            {
              key: 'erfurt-nord',
              name: 'Ortsverband Erfurt-Nord',
              kind: 'local',
              postalCodes: ['99086', '99089'],
            },
            {
              key: 'erfurt-sued',
              name: 'Ortsverband Erfurt-Süd',
              kind: 'local',
              postalCodes: ['99096', '99097', '99099'],
            },
          ],
        },
        {
          key: 'jena',
          name: 'Kreisverband Jena',
          kind: 'district',
          postalCodes: ['077'],
          children: [
            { key: 'jena-nord', name: 'Ortsverband Jena-Nord', kind: 'local', postalCodes: ['07743'] },
            { key: 'jena-ost', name: 'Ortsverband Jena-Ost', kind: 'local', postalCodes: ['07747', '07749'] },
          ],
        },
        {
          key: 'weimar',
          name: 'Kreisverband Weimar',
          kind: 'district',
          postalCodes: ['994'],
          children: [
            { key: 'weimar-west', name: 'Ortsverband Weimar-West', kind: 'local', postalCodes: ['99425'] },
            { key: 'weimar-nord', name: 'Ortsverband Weimar-Nord', kind: 'local', postalCodes: ['99427'] },
          ],
        },
      ],
    },
    { key: 'ag-betrieb', name: 'AG Betrieb & Gewerkschaft', kind: 'group', postalCodes: [] },
  ],
};

const DEMO_USERS: { email: string; name: string; superadmin?: boolean; org?: string; role?: Role }[] = [
  { email: 'admin@demo.draht.local', name: 'Alex Admin', superadmin: true },
  { email: 'organizer.sachsen@demo.draht.local', name: 'Sabine Sommer', org: 'sachsen', role: 'organizer' },
  {
    email: 'organizer.thueringen@demo.draht.local',
    name: 'Tobias Thiel',
    org: 'thueringen',
    role: 'organizer',
  },
  { email: 'caller.dresden@demo.draht.local', name: 'Dana Dietrich', org: 'dresden', role: 'caller' },
  { email: 'caller.leipzig@demo.draht.local', name: 'Lukas Lange', org: 'leipzig', role: 'caller' },
  { email: 'caller.erfurt@demo.draht.local', name: 'Emine Ekinci', org: 'erfurt', role: 'caller' },
];

/** People in the demo party, spread over the Ortsverbände by postal code. */
export const DEMO_PEOPLE = 2000;

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  const org = await db.selectFrom('orgUnits').select('id').limit(1).executeTakeFirst();
  return !row && !org;
}

/** Seeds the demo org tree and users; returns the generated credentials (printed once). */
export async function seedDemo(db: Db): Promise<{ email: string; password: string; role: string }[]> {
  registerAllFilterKinds(); // the demo campaign compiles its target filter
  const { credentials, rootOrgId, ids, userIds } = await db.transaction().execute(async (trx) => {
    const ids = new Map<string, string>();
    const insert = async (node: DemoOrg, parentId: string | null) => {
      const org = await orgsRepo.insertOrg(trx, {
        parentId,
        name: node.name,
        kind: node.kind,
        slug: slugify(node.name),
        postalCodes: node.postalCodes,
      });
      ids.set(node.key, org.id);
      for (const child of node.children ?? []) await insert(child, org.id);
    };
    await insert(DEMO_TREE, null);

    const credentials: { email: string; password: string; role: string }[] = [];
    const userIds = new Map<string, string>();
    for (const u of DEMO_USERS) {
      const password = `${readableCode(4)}-${readableCode(4)}-${readableCode(4)}`;
      const user = await authRepo.insertUser(trx, {
        email: u.email,
        name: u.name,
        passwordHash: await hashPassword(password),
        isSuperadmin: u.superadmin ?? false,
      });
      userIds.set(u.email, user.id);
      if (u.org && u.role) {
        await membershipsRepo.insertMembership(trx, {
          userId: user.id,
          orgId: ids.get(u.org)!,
          role: u.role,
          createdBy: null,
        });
      }
      credentials.push({
        email: u.email,
        password,
        role: u.superadmin ? 'superadmin' : `${u.role} (${u.org})`,
      });
    }
    return { credentials, rootOrgId: ids.get('bund')!, ids, userIds };
  });
  // Batches of their own transactions: a fresh demo shows a party with people in every Ortsverband.
  await generatePeople(db, { count: DEMO_PEOPLE, rootOrgId });
  await seedDemoCampaign(db, { bund: rootOrgId, units: ids, userIds });
  await seedDemoMail(db, { units: ids, userIds });
  return credentials;
}

export function formatCredentials(credentials: { email: string; password: string; role: string }[]): string {
  const lines = credentials.map((c) => `  ${c.email.padEnd(40)} ${c.password.padEnd(16)} ${c.role}`);
  return ['', 'Draht demo data created. These passwords are shown only now:', ...lines, ''].join('\n');
}
