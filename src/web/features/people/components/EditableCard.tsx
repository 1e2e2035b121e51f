import { type Dispatch, type ReactNode, type SetStateAction, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../components/notify.ts';
import { type Person, type PersonUpdateInput, useUpdatePerson } from '../api.ts';
import { serverFieldErrors } from '../format.ts';
import { EditButton, EditFooter, SectionCard } from './SectionCard.tsx';

export interface CardEditor<D> {
  draft: D;
  setDraft: Dispatch<SetStateAction<D>>;
  /** Fields the server refused, by path (`birthDate`, `emails.0.email`, `customFields.<id>`). */
  errors: Record<string, true>;
}

/**
 * One card of the profile that can be edited: read mode with an edit button (for those who may
 * write), edit mode with a form, save (PATCH of the person, closes on success with a notice) and
 * cancel, the server's error under the form and its field errors handed to the editor.
 */
export function EditableCard<D>({
  person,
  mayWrite,
  title,
  testId,
  toDraft,
  toUpdate,
  invalid,
  editor,
  children,
}: {
  person: Person;
  mayWrite: boolean;
  title: string;
  testId: string;
  /** The draft the form starts from when "edit" is pressed. */
  toDraft: () => D;
  /** The PATCH body for a draft; null when the form is not valid yet (nothing is sent). */
  toUpdate: (draft: D) => PersonUpdateInput | null;
  /** Greys out "save" while the draft cannot be sent. */
  invalid?: (draft: D) => boolean;
  editor: (edit: CardEditor<D>) => ReactNode;
  /** The read mode. */
  children: ReactNode;
}) {
  const { t } = useTranslation('people');
  const update = useUpdatePerson(person.id);
  const [draft, setDraft] = useState<D | null>(null);
  const editing = draft !== null;
  const start = () => {
    update.reset();
    setDraft(toDraft());
  };
  const setEditorDraft: Dispatch<SetStateAction<D>> = (next) =>
    setDraft((d) => (d === null ? d : next instanceof Function ? next(d) : next));

  return (
    <SectionCard
      title={title}
      testId={testId}
      actions={
        mayWrite &&
        !editing && <EditButton onClick={start} label={t('profile.editSection', { section: title })} />
      }
    >
      {editing ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const body = toUpdate(draft);
            if (!body) return;
            update.mutate(body, {
              onSuccess: () => {
                notifySuccess(t('profile.saved'));
                setDraft(null);
              },
            });
          }}
        >
          {editor({ draft, setDraft: setEditorDraft, errors: serverFieldErrors(update.error) })}
          <EditFooter
            onCancel={() => setDraft(null)}
            saving={update.isPending}
            error={update.error}
            disabled={invalid?.(draft)}
          />
        </form>
      ) : (
        children
      )}
    </SectionCard>
  );
}
