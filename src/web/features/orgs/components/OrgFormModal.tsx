import { Badge, Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_KINDS } from '../../../../shared/orgs.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { POSTAL_CODE, parsePostalCodes } from '../../../lib/format.ts';
import { type Org, type OrgKind, useCreateOrg, useUpdateOrg } from '../api.ts';
import { childKind } from '../orgTree.ts';

type Props =
  | { mode: 'create'; parent: Org | null; opened: boolean; onClose: () => void }
  | { mode: 'edit'; org: Org; opened: boolean; onClose: () => void };

/** Create a sub-unit under a parent, or edit name, kind and postal codes of a unit. */
export function OrgFormModal(props: Props) {
  const { t } = useTranslation('orgs');
  const create = useCreateOrg();
  const update = useUpdateOrg();
  const mutation = props.mode === 'create' ? create : update;
  const editing = props.mode === 'edit' ? props.org : null;
  const parent = props.mode === 'create' ? props.parent : null;

  const form = useForm({
    initialValues: { name: '', kind: 'local' as OrgKind, postalCodes: '' },
    validate: {
      name: (value) => (value.trim() ? null : t('form.nameRequired')),
      postalCodes: (value) =>
        parsePostalCodes(value).every((code) => POSTAL_CODE.test(code)) ? null : t('form.postalCodesInvalid'),
    },
  });

  // Fill the form each time the modal opens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when opened or the target changes
  useEffect(() => {
    if (!props.opened) return;
    mutation.reset();
    form.setValues(
      editing
        ? { name: editing.name, kind: editing.kind, postalCodes: editing.postalCodes.join(', ') }
        : { name: '', kind: childKind(parent?.kind), postalCodes: '' },
    );
    form.resetDirty();
    form.clearErrors();
  }, [props.opened, editing?.id, parent?.id]);

  const submit = form.onSubmit((values) => {
    const postalCodes = parsePostalCodes(values.postalCodes);
    if (editing) {
      update.mutate(
        { id: editing.id, name: values.name.trim(), kind: values.kind, postalCodes },
        {
          onSuccess: () => {
            notifySuccess(t('form.updated'));
            props.onClose();
          },
        },
      );
    } else {
      create.mutate(
        { name: values.name.trim(), kind: values.kind, parentId: parent?.id ?? null, postalCodes },
        {
          onSuccess: (org) => {
            notifySuccess(t('form.created', { name: org.name }));
            props.onClose();
          },
        },
      );
    }
  });

  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={editing ? t('form.editTitle') : t('form.createTitle')}
      size="lg"
      centered
    >
      <form onSubmit={submit} noValidate data-testid="org-form">
        <Stack>
          {parent && (
            <Group gap="xs">
              <Text size="sm" c="dimmed">
                {t('form.parent')}:
              </Text>
              <Text size="sm" fw={600}>
                {parent.name}
              </Text>
              <Badge size="xs" variant="light" color="gray">
                {t(`common:kinds.${parent.kind}`)}
              </Badge>
            </Group>
          )}
          <TextInput label={t('form.name')} required data-autofocus {...form.getInputProps('name')} />
          <NativeSelect
            label={t('form.kind')}
            required
            data={ORG_KINDS.map((kind) => ({ value: kind, label: t(`common:kinds.${kind}`) }))}
            {...form.getInputProps('kind')}
          />
          <TextInput
            label={t('form.postalCodes')}
            description={t('form.postalCodesHint')}
            placeholder="01067, 01069, 010"
            inputMode="numeric"
            {...form.getInputProps('postalCodes')}
          />
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="org-form-submit">
              {editing ? t('common:actions.save') : t('form.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
