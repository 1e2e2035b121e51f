import type { ReactNode } from 'react';
import { CALL_FILTER_EDITORS } from '../../calls/filters/calls.editors.tsx';
import { MAIL_FILTER_EDITORS } from '../../mail/filters/mail.editors.tsx';
import { CONSENT_FILTER_EDITORS } from '../../people/filters/consents.editors.tsx';
import { FIELD_FILTER_EDITORS } from '../../people/filters/fields.editors.tsx';
import { PEOPLE_FILTER_EDITORS } from '../../people/filters/people.editors.tsx';
import { TAG_FILTER_EDITORS } from '../../people/filters/tags.editors.tsx';
import type { EditorProps, LeafKind } from './editor-kit.tsx';
import { QUERY_FILTER_EDITORS } from './queries.editors.tsx';

export type { EditorChoices, EditorProps, LeafKind } from './editor-kit.tsx';

/**
 * One editor per leaf kind, kind → editor. Each editor lives in the feature that owns the kind
 * (as on the server, where each domain's `*.filters.ts` defines its kinds); a module that adds a
 * kind exports its editors and adds them here. The type makes a missing kind a compile error.
 */
export const FILTER_EDITORS: { [K in LeafKind]: (props: EditorProps<K>) => ReactNode } = {
  ...PEOPLE_FILTER_EDITORS,
  ...FIELD_FILTER_EDITORS,
  ...TAG_FILTER_EDITORS,
  ...QUERY_FILTER_EDITORS,
  ...CALL_FILTER_EDITORS,
  ...MAIL_FILTER_EDITORS,
  ...CONSENT_FILTER_EDITORS,
};
