/**
 * Named permissions and the roles that grant them: the one place that maps roles to rights.
 * A role held in an org unit applies to that unit and its whole subtree.
 */
export const ROLES = ['admin', 'organizer', 'caller'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** One's own account: profile, password, 2FA, API tokens, the instruction. Every signed-in user. */
  'account:self': { personalData: false },
  /** See the org units of one's scope. Not personal data. */
  'orgs:read': { personalData: false },
  /** Create, rename, move, archive org units. */
  'orgs:write': { personalData: false },
  /** See who holds which role in a unit (names and emails of users). */
  'memberships:read': { personalData: true },
  /** Invite people, change and remove roles. */
  'memberships:write': { personalData: true },
  /**
   * Invite people into a unit. Organizers hold it to invite callers (the service refuses any other
   * role without memberships:write); admins invite every role.
   */
  'memberships:invite': { personalData: true },
  /** Read people of a unit's subtree: list, search, profile, timeline. */
  'people:read': { personalData: true },
  /** Create, edit, tag, annotate and erase people. */
  'people:write': { personalData: true },
  /** Export people lists to CSV/XLSX. */
  'people:export': { personalData: true },
  /** Import people from files of the member system. */
  'people:import': { personalData: true },
  /** Define custom fields for a unit. */
  'people:configure': { personalData: false },
  /** Take calls in the call assignments one was added to: the current target's allowed fields only. */
  'calls:make': { personalData: true },
  /** Create and run call assignments of a unit: targets, script, rules, callers. */
  'calls:manage': { personalData: true },
  /** Write, test and send mailings of a unit to its saved lists; consent requests; templates. */
  'mail:send': { personalData: true },
  /** A unit's sender name, reply-to, footer and data-change digest settings. */
  'mail:configure': { personalData: false },
  /** Browse the audit log of a unit and its subtree. */
  'audit:read': { personalData: true },
  /** See who confirmed the data-protection instruction. */
  'instruction:confirmations:read': { personalData: true },
  /** Instance administration: instruction text, mail outbox. Superadmins only. */
  'instance:manage': { personalData: true },
} as const;

export type Permission = keyof typeof PERMISSIONS;

const caller: Permission[] = ['orgs:read', 'calls:make'];
const organizer: Permission[] = [
  ...caller,
  'memberships:read',
  'memberships:invite',
  'people:read',
  'people:write',
  'people:export',
  'people:import',
  'calls:manage',
  'mail:send',
];
const admin: Permission[] = [
  ...organizer,
  'orgs:write',
  'memberships:write',
  'people:configure',
  'mail:configure',
  'audit:read',
  'instruction:confirmations:read',
];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  caller: new Set(caller),
  organizer: new Set(organizer),
  admin: new Set(admin),
};

/** Permissions that only superadmins hold, whatever their memberships. */
export const SUPERADMIN_ONLY: ReadonlySet<Permission> = new Set(['instance:manage']);

export function roleGrants(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

export function touchesPersonalData(permission: Permission): boolean {
  return PERMISSIONS[permission].personalData;
}
