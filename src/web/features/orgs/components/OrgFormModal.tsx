import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Modal,
  NativeSelect,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_KINDS } from '../../../../shared/orgs.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { POSTAL_CODE, parsePostalCodes } from '../../../lib/format.ts';
import { type Org, type OrgKind, useCatchmentCheck, useCreateOrg, useUpdateOrg } from '../api.ts';
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

  // The server's catchment rules, asked while typing: conflicts show before saving.
  const [typedCodes] = useDebouncedValue(form.values.postalCodes, 300);
  const codes = parsePostalCodes(typedCodes);
  const codesValid = codes.every((code) => POSTAL_CODE.test(code));
  const changedCodes = !editing || codes.join(',') !== [...editing.postalCodes].sort().join(',');
  const check = useCatchmentCheck(
    editing
      ? { orgId: editing.id, postalCodes: codes }
      : { parentId: parent?.id ?? null, postalCodes: codes },
    props.opened && codesValid && codes.length > 0 && changedCodes,
  );
  const problems = props.opened && codesValid && changedCodes ? (check.data?.problems ?? []) : [];

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
          {problems.length > 0 && (
            <Alert color="red" title={t('form.catchmentProblemsTitle')} data-testid="catchment-problems">
              <List size="sm">
                {problems.map((p) => (
                  <List.Item key={`${p.kind}-${p.code}-${p.otherUnitName}`}>
                    {t(`form.catchment_${p.kind}`, {
                      code: p.code,
                      unit: p.otherUnitName,
                      otherCode: p.otherCode,
                    })}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <ErrorAlert error={mutation.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={problems.length > 0}
              data-testid="org-form-submit"
            >
              {editing ? t('common:actions.save') : t('form.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
