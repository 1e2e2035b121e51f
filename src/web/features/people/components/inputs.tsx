import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Text,
  TextInput,
  type TextInputProps,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type EMAIL_STATUSES, type PHONE_STATUSES, PHONE_TYPES } from '../../../../shared/people.ts';
import type { Person, Tag } from '../api.ts';
import { inputToIso } from '../format.ts';

export interface EmailDraft {
  email: string;
  isPrimary: boolean;
  status: (typeof EMAIL_STATUSES)[number];
}
export interface PhoneDraft {
  number: string;
  /** '' lets the server tell mobile from landline. */
  type: (typeof PHONE_TYPES)[number] | '';
  isPrimary: boolean;
  status: (typeof PHONE_STATUSES)[number];
  /** The user picked the type; otherwise a new number lets the server detect it again. */
  typeChosen?: boolean;
}

export const emptyEmail = (isPrimary: boolean): EmailDraft => ({ email: '', isPrimary, status: 'valid' });
export const emptyPhone = (isPrimary: boolean): PhoneDraft => ({
  number: '',
  type: '',
  isPrimary,
  status: 'valid',
});

export function emailDrafts(person: Person): EmailDraft[] {
  return person.emails.map((e) => ({ email: e.email, isPrimary: e.isPrimary, status: e.status }));
}
export function phoneDrafts(person: Person): PhoneDraft[] {
  return person.phones.map((p) => ({
    number: p.raw,
    type: p.type,
    isPrimary: p.isPrimary,
    status: p.status,
  }));
}

/** Drafts → API input: empty rows dropped, exactly one primary. */
export function emailsInput(drafts: EmailDraft[]) {
  const rows = drafts.filter((d) => d.email.trim());
  const primary = Math.max(
    0,
    rows.findIndex((d) => d.isPrimary),
  );
  return rows.map((d, i) => ({ email: d.email.trim(), isPrimary: i === primary, status: d.status }));
}
export function phonesInput(drafts: PhoneDraft[]) {
  const rows = drafts.filter((d) => d.number.trim());
  const primary = Math.max(
    0,
    rows.findIndex((d) => d.isPrimary),
  );
  return rows.map((d, i) => ({
    number: d.number.trim(),
    isPrimary: i === primary,
    status: d.status,
    ...(d.type ? { type: d.type } : {}),
  }));
}

/** A date typed the German way (TT.MM.JJJJ); the form converts it with `inputToIso`. */
export function DateField({
  value,
  onChange,
  error,
  ...props
}: Omit<TextInputProps, 'onChange'> & {
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation('people');
  const invalid = value.trim() !== '' && inputToIso(value) === undefined;
  return (
    <TextInput
      {...props}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      placeholder={t('date.placeholder')}
      inputMode="numeric"
      autoComplete="off"
      error={error ?? (invalid ? t('date.invalid') : undefined)}
    />
  );
}

export function EmailsEditor({
  value,
  onChange,
  errors = {},
}: {
  value: EmailDraft[];
  onChange: (value: EmailDraft[]) => void;
  errors?: Record<string, true>;
}) {
  const { t } = useTranslation('people');
  const update = (index: number, patch: Partial<EmailDraft>) =>
    onChange(value.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs" data-testid="emails-editor">
      <Text size="sm" fw={500}>
        {t('contact.emails')}
      </Text>
      <Radio.Group
        value={String(
          Math.max(
            0,
            value.findIndex((row) => row.isPrimary),
          ),
        )}
        onChange={(index) => onChange(value.map((row, i) => ({ ...row, isPrimary: String(i) === index })))}
        aria-label={t('contact.primaryEmail')}
      >
        <Stack gap="xs">
          {value.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until saved
            <Group key={index} gap="xs" wrap="nowrap" align="flex-start">
              <TextInput
                style={{ flex: 1 }}
                type="email"
                aria-label={t('contact.emailN', { n: index + 1 })}
                value={row.email}
                onChange={(event) => update(index, { email: event.currentTarget.value })}
                error={
                  errors[`emails.${index}.email`] || errors[`emails.${index}`]
                    ? t('contact.emailInvalid')
                    : undefined
                }
                data-testid="email-input"
              />
              <Radio
                value={String(index)}
                label={t('contact.primary')}
                mt={8}
                aria-label={t('contact.primaryN', { n: index + 1 })}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                mt={2}
                aria-label={t('contact.removeEmail', { n: index + 1 })}
                onClick={() => onChange(value.filter((_, i) => i !== index))}
              >
                <IconTrash size={18} aria-hidden />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
      </Radio.Group>
      <Button
        variant="subtle"
        size="xs"
        leftSection={<IconPlus size={14} aria-hidden />}
        onClick={() => onChange([...value, emptyEmail(value.length === 0)])}
        style={{ alignSelf: 'flex-start' }}
        data-testid="add-email"
      >
        {t('contact.addEmail')}
      </Button>
    </Stack>
  );
}

export function PhonesEditor({
  value,
  onChange,
  errors = {},
}: {
  value: PhoneDraft[];
  onChange: (value: PhoneDraft[]) => void;
  errors?: Record<string, true>;
}) {
  const { t } = useTranslation('people');
  const update = (index: number, patch: Partial<PhoneDraft>) =>
    onChange(value.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs" data-testid="phones-editor">
      <Text size="sm" fw={500}>
        {t('contact.phones')}
      </Text>
      <Radio.Group
        value={String(
          Math.max(
            0,
            value.findIndex((row) => row.isPrimary),
          ),
        )}
        onChange={(index) => onChange(value.map((row, i) => ({ ...row, isPrimary: String(i) === index })))}
        aria-label={t('contact.primaryPhone')}
      >
        <Stack gap="sm">
          {value.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until saved
            <Stack key={index} gap={6}>
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <TextInput
                  style={{ flex: 1 }}
                  type="tel"
                  aria-label={t('contact.phoneN', { n: index + 1 })}
                  value={row.number}
                  onChange={(event) =>
                    update(index, {
                      number: event.currentTarget.value,
                      ...(row.typeChosen ? {} : { type: '' }),
                    })
                  }
                  error={
                    errors[`phones.${index}.number`] || errors[`phones.${index}`]
                      ? t('contact.phoneInvalid')
                      : undefined
                  }
                  data-testid="phone-input"
                />
                <NativeSelect
                  w={150}
                  aria-label={t('contact.phoneTypeN', { n: index + 1 })}
                  value={row.type}
                  onChange={(event) =>
                    update(index, { type: event.currentTarget.value as PhoneDraft['type'], typeChosen: true })
                  }
                  data={[
                    { value: '', label: t('phoneTypes.auto') },
                    ...PHONE_TYPES.map((type) => ({ value: type, label: t(`phoneTypes.${type}`) })),
                  ]}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  mt={2}
                  aria-label={t('contact.removePhone', { n: index + 1 })}
                  onClick={() => onChange(value.filter((_, i) => i !== index))}
                >
                  <IconTrash size={18} aria-hidden />
                </ActionIcon>
              </Group>
              <Group gap="md">
                <Radio
                  value={String(index)}
                  label={t('contact.primary')}
                  aria-label={t('contact.primaryN', { n: index + 1 })}
                />
                <Checkbox
                  label={t('phoneStatuses.outdated')}
                  checked={row.status === 'outdated'}
                  onChange={(event) =>
                    update(index, { status: event.currentTarget.checked ? 'outdated' : 'valid' })
                  }
                />
              </Group>
            </Stack>
          ))}
        </Stack>
      </Radio.Group>
      <Button
        variant="subtle"
        size="xs"
        leftSection={<IconPlus size={14} aria-hidden />}
        onClick={() => onChange([...value, emptyPhone(value.length === 0)])}
        style={{ alignSelf: 'flex-start' }}
        data-testid="add-phone"
      >
        {t('contact.addPhone')}
      </Button>
    </Stack>
  );
}

/** A tag as a coloured badge; the name is the signal, colour only decorates. */
export function TagBadge({
  tag,
  rightSection,
}: {
  tag: Pick<Tag, 'name' | 'color'>;
  rightSection?: ReactNode;
}) {
  return (
    <Badge
      color={tag.color}
      variant="light"
      tt="none"
      miw="max-content"
      rightSection={rightSection}
      data-testid="tag-badge"
    >
      {tag.name}
    </Badge>
  );
}

/** Select data for tags, grouped by their group. */
export function tagSelectData(tags: Tag[], otherGroup: string) {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const tag of [...tags].sort((a, b) => a.name.localeCompare(b.name))) {
    const group = tag.group ?? otherGroup;
    groups.set(group, [...(groups.get(group) ?? []), { value: tag.id, label: tag.name }]);
  }
  if (groups.size === 1 && groups.has(otherGroup)) return groups.get(otherGroup) ?? [];
  return [...groups].map(([group, items]) => ({ group, items }));
}
