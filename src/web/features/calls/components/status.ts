import type { CALL_ASSIGNMENT_STATUSES } from '../../../../shared/calls.ts';

export const STATUS_COLORS: Record<(typeof CALL_ASSIGNMENT_STATUSES)[number], string> = {
  draft: 'gray',
  open: 'teal',
  paused: 'yellow',
  closed: 'red',
};
