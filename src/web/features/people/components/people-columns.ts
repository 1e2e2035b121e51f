/** The columns the people table can show; the name is always shown. */
export const COLUMNS = [
  'name',
  'status',
  'place',
  'email',
  'phone',
  'memberNumber',
  'tags',
  'created',
] as const;
export type Column = (typeof COLUMNS)[number];
export const DEFAULT_COLUMNS: Column[] = ['name', 'status', 'place', 'email', 'phone', 'tags'];
