import {
  Anchor,
  Badge,
  Checkbox,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconMail, IconMailbox, IconMailOff, IconPhone, IconPhoneOff } from '@tabler/icons-react';
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { MEMBERSHIP_STATUSES } from '../../../../shared/people.ts';
import type { MembershipStatus, Person, PersonUpdateInput } from '../api.ts';
import { formatE164, formatPlainDate, inputToIso, isoToInput } from '../format.ts';
import { EditableCard } from './EditableCard.tsx';
import {
  DateField,
  type EmailDraft,
  EmailsEditor,
  emailDrafts,
  emailsInput,
  type PhoneDraft,
  PhonesEditor,
  phoneDrafts,
  phonesInput,
} from './inputs.tsx';
import { StatusBadge } from './PeopleListPage.tsx';
import { Field } from './SectionCard.tsx';

interface CardProps {
  person: Person;
  mayWrite: boolean;
}

const orNull = (value: string) => value.trim() || null;

/** A text input's change handler that sets one key of a card's draft. */
function draftSetter<D>(setDraft: (update: (d: D) => D) => void) {
  return (key: keyof D) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };
}

interface ContactFlags {
  doNotCall: boolean;
  doNotEmail: boolean;
  doNotPost: boolean;
}

export function ContactCard({ person, mayWrite }: CardProps) {
  const { t } = useTranslation('people');
  return (
    <EditableCard
      person={person}
      mayWrite={mayWrite}
      title={t('contact.title')}
      testId="person-contact"
      toDraft={() => ({
        emails: emailDrafts(person),
        phones: phoneDrafts(person),
        flags: { doNotCall: person.doNotCall, doNotEmail: person.doNotEmail, doNotPost: person.doNotPost },
      })}
      toUpdate={(draft) => contactChanges(person, draft.emails, draft.phones, draft.flags)}
      editor={({ draft, setDraft, errors }) => (
        <Stack>
          <PhonesEditor
            value={draft.phones}
            onChange={(phones) => setDraft((d) => ({ ...d, phones }))}
            errors={errors}
          />
          <EmailsEditor
            value={draft.emails}
            onChange={(emails) => setDraft((d) => ({ ...d, emails }))}
            errors={errors}
          />
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              {t('contact.doNotContact')}
            </Text>
            {(['doNotCall', 'doNotEmail', 'doNotPost'] as const).map((flag) => (
              <Checkbox
                key={flag}
                label={t(`fields.${flag}`)}
                checked={draft.flags[flag]}
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  setDraft((d) => ({ ...d, flags: { ...d.flags, [flag]: checked } }));
                }}
              />
            ))}
          </Stack>
        </Stack>
      )}
    >
      <Stack gap="md">
        <Stack gap={6}>
          <Text size="xs" c="dimmed" fw={500}>
            {t('contact.phones')}
          </Text>
          {person.phones.length === 0 && <Text size="sm">{t('contact.noPhones')}</Text>}
          {person.phones.map((phone) => {
            const formatted = formatE164(phone.e164);
            return (
              <Group key={phone.id} gap="xs" wrap="wrap" data-testid="phone-item">
                {phone.type === 'mobile' ? (
                  <IconPhone size={16} aria-hidden />
                ) : (
                  <IconPhone size={16} aria-hidden style={{ opacity: 0.6 }} />
                )}
                <Anchor
                  href={`tel:${phone.e164 ?? phone.raw.replace(/[^\d+]/g, '')}`}
                  td={phone.status === 'outdated' ? 'line-through' : undefined}
                  fw={500}
                >
                  {phone.raw}
                </Anchor>
                {formatted && formatted !== phone.raw && (
                  <Text size="sm" c="dimmed">
                    {formatted}
                  </Text>
                )}
                <Badge size="sm" variant="outline" color="gray" tt="none">
                  {t(`phoneTypes.${phone.type}`)}
                </Badge>
                {phone.isPrimary && (
                  <Badge size="sm" variant="light" tt="none">
                    {t('contact.primary')}
                  </Badge>
                )}
                {phone.status !== 'valid' && (
                  <Badge
                    size="sm"
                    variant="light"
                    color={phone.status === 'outdated' ? 'orange' : 'red'}
                    tt="none"
                  >
                    {t(`phoneStatuses.${phone.status}`)}
                  </Badge>
                )}
              </Group>
            );
          })}
        </Stack>
        <Stack gap={6}>
          <Text size="xs" c="dimmed" fw={500}>
            {t('contact.emails')}
          </Text>
          {person.emails.length === 0 && <Text size="sm">{t('contact.noEmails')}</Text>}
          {person.emails.map((email) => (
            <Group key={email.id} gap="xs" wrap="wrap" data-testid="email-item">
              <IconMail size={16} aria-hidden />
              <Anchor href={`mailto:${email.email}`} fw={500} style={{ wordBreak: 'break-all' }}>
                {email.email}
              </Anchor>
              {email.isPrimary && (
                <Badge size="sm" variant="light" tt="none">
                  {t('contact.primary')}
                </Badge>
              )}
              {email.status !== 'valid' && (
                <Badge size="sm" variant="light" color="red" tt="none">
                  {t(`emailStatuses.${email.status}`)}
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
        <DoNotContact person={person} />
      </Stack>
    </EditableCard>
  );
}

/** Only the lists that changed: PATCH replaces a whole list, and the timeline names what changed. */
function contactChanges(
  person: Person,
  emails: EmailDraft[],
  phones: PhoneDraft[],
  flags: ContactFlags,
): PersonUpdateInput {
  const body: PersonUpdateInput = {};
  const nextEmails = emailsInput(emails);
  const nextPhones = phonesInput(phones);
  if (JSON.stringify(nextEmails) !== JSON.stringify(emailsInput(emailDrafts(person))))
    body.emails = nextEmails;
  if (JSON.stringify(nextPhones) !== JSON.stringify(phonesInput(phoneDrafts(person))))
    body.phones = nextPhones;
  for (const flag of ['doNotCall', 'doNotEmail', 'doNotPost'] as const) {
    if (flags[flag] !== person[flag]) body[flag] = flags[flag];
  }
  return body;
}

function DoNotContact({ person }: { person: Person }) {
  const { t } = useTranslation('people');
  const flags = [
    person.doNotCall && { key: 'doNotCall', icon: <IconPhoneOff size={14} aria-hidden /> },
    person.doNotEmail && { key: 'doNotEmail', icon: <IconMailOff size={14} aria-hidden /> },
    person.doNotPost && { key: 'doNotPost', icon: <IconMailbox size={14} aria-hidden /> },
  ].filter((flag): flag is { key: string; icon: ReactElement } => Boolean(flag));
  if (flags.length === 0) return null;
  return (
    <Group gap="xs" data-testid="do-not-contact">
      {flags.map((flag) => (
        <Badge key={flag.key} color="red" variant="filled" leftSection={flag.icon} tt="none">
          {t(`fields.${flag.key}`)}
        </Badge>
      ))}
    </Group>
  );
}

export function PersonalCard({ person, mayWrite }: CardProps) {
  const { t, i18n } = useTranslation('people');
  const noName = (d: { firstName: string; lastName: string }) => !d.firstName.trim() && !d.lastName.trim();
  return (
    <EditableCard
      person={person}
      mayWrite={mayWrite}
      title={t('personal.title')}
      testId="person-personal"
      toDraft={() => ({
        title: person.title ?? '',
        firstName: person.firstName,
        lastName: person.lastName,
        pronouns: person.pronouns ?? '',
        birthDate: isoToInput(person.birthDate, i18n.language),
      })}
      toUpdate={(draft) => {
        const birthDate = inputToIso(draft.birthDate);
        if (birthDate === undefined || noName(draft)) return null;
        return {
          title: orNull(draft.title),
          firstName: draft.firstName.trim(),
          lastName: draft.lastName.trim(),
          pronouns: orNull(draft.pronouns),
          birthDate,
        };
      }}
      editor={({ draft, setDraft, errors }) => {
        const set = draftSetter(setDraft);
        return (
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput label={t('fields.firstName')} value={draft.firstName} onChange={set('firstName')} />
            <TextInput
              label={t('fields.lastName')}
              value={draft.lastName}
              onChange={set('lastName')}
              error={noName(draft) ? t('create.nameRequired') : undefined}
            />
            <TextInput label={t('fields.title')} value={draft.title} onChange={set('title')} />
            <TextInput label={t('fields.pronouns')} value={draft.pronouns} onChange={set('pronouns')} />
            <DateField
              label={t('fields.birthDate')}
              value={draft.birthDate}
              onChange={(value) => setDraft((d) => ({ ...d, birthDate: value }))}
              error={errors.birthDate ? t('date.invalid') : undefined}
            />
          </SimpleGrid>
        );
      }}
    >
      <SimpleGrid cols={2} spacing="sm">
        <Field label={t('fields.firstName')}>{person.firstName}</Field>
        <Field label={t('fields.lastName')}>{person.lastName}</Field>
        {person.title && <Field label={t('fields.title')}>{person.title}</Field>}
        {person.pronouns && <Field label={t('fields.pronouns')}>{person.pronouns}</Field>}
        <Field label={t('fields.birthDate')}>
          {person.birthDate ? formatPlainDate(person.birthDate, i18n.language) : null}
        </Field>
        <Field label={t('fields.source')}>
          {t(`sources.${person.source}`, { defaultValue: person.source })}
        </Field>
      </SimpleGrid>
    </EditableCard>
  );
}

export function AddressCard({ person, mayWrite }: CardProps) {
  const { t } = useTranslation('people');
  const line1 = [person.street, person.houseNumber].filter(Boolean).join(' ');
  const line2 = [person.postalCode, person.city].filter(Boolean).join(' ');
  return (
    <EditableCard
      person={person}
      mayWrite={mayWrite}
      title={t('address.title')}
      testId="person-address"
      toDraft={() => ({
        street: person.street ?? '',
        houseNumber: person.houseNumber ?? '',
        postalCode: person.postalCode ?? '',
        city: person.city ?? '',
        country: person.country,
      })}
      toUpdate={(draft) => ({
        street: orNull(draft.street),
        houseNumber: orNull(draft.houseNumber),
        postalCode: orNull(draft.postalCode),
        city: orNull(draft.city),
        country: draft.country.trim().toUpperCase() || 'DE',
      })}
      editor={({ draft, setDraft, errors }) => {
        const set = draftSetter(setDraft);
        const err = (key: string) => (errors[key] ? t('form.invalid') : undefined);
        return (
          <Stack gap="sm">
            <Group align="flex-start" wrap="nowrap" gap="sm">
              <TextInput
                style={{ flex: 3, minWidth: 0 }}
                label={t('fields.street')}
                value={draft.street}
                onChange={set('street')}
                error={err('street')}
              />
              <TextInput
                style={{ flex: 1, minWidth: 0 }}
                label={t('fields.houseNumber')}
                value={draft.houseNumber}
                onChange={set('houseNumber')}
                error={err('houseNumber')}
              />
            </Group>
            <Group align="flex-start" wrap="nowrap" gap="sm">
              <TextInput
                style={{ flex: 1, minWidth: 0 }}
                label={t('fields.postalCode')}
                inputMode="numeric"
                value={draft.postalCode}
                onChange={set('postalCode')}
                error={err('postalCode')}
              />
              <TextInput
                style={{ flex: 2, minWidth: 0 }}
                label={t('fields.city')}
                value={draft.city}
                onChange={set('city')}
                error={err('city')}
              />
            </Group>
            <TextInput
              label={t('fields.country')}
              description={t('address.countryHint')}
              maxLength={2}
              w={120}
              value={draft.country}
              onChange={set('country')}
              error={err('country')}
            />
          </Stack>
        );
      }}
    >
      {line1 || line2 ? (
        <Text size="sm" component="address" style={{ fontStyle: 'normal' }}>
          {line1}
          {line1 && <br />}
          {line2}
          {person.country !== 'DE' && (
            <>
              <br />
              {person.country}
            </>
          )}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t('address.none')}
        </Text>
      )}
    </EditableCard>
  );
}

export function MembershipCard({ person, mayWrite }: CardProps) {
  const { t, i18n } = useTranslation('people');
  return (
    <EditableCard
      person={person}
      mayWrite={mayWrite}
      title={t('membership.title')}
      testId="person-membership"
      toDraft={() => ({
        memberNumber: person.memberNumber ?? '',
        membershipStatus: person.membershipStatus as MembershipStatus,
        joinedOn: isoToInput(person.joinedOn, i18n.language),
        leftOn: isoToInput(person.leftOn, i18n.language),
      })}
      toUpdate={(draft): PersonUpdateInput | null => {
        const joinedOn = inputToIso(draft.joinedOn);
        const leftOn = inputToIso(draft.leftOn);
        if (joinedOn === undefined || leftOn === undefined) return null;
        return {
          memberNumber: orNull(draft.memberNumber),
          membershipStatus: draft.membershipStatus,
          joinedOn,
          leftOn,
        };
      }}
      editor={({ draft, setDraft, errors }) => (
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <NativeSelect
            label={t('fields.membershipStatus')}
            value={draft.membershipStatus}
            onChange={(event) => {
              const value = event.currentTarget.value as MembershipStatus;
              setDraft((d) => ({ ...d, membershipStatus: value }));
            }}
            data={MEMBERSHIP_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
          />
          <TextInput
            label={t('fields.memberNumber')}
            value={draft.memberNumber}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setDraft((d) => ({ ...d, memberNumber: value }));
            }}
            error={errors.memberNumber ? t('form.invalid') : undefined}
          />
          <DateField
            label={t('fields.joinedOn')}
            value={draft.joinedOn}
            onChange={(value) => setDraft((d) => ({ ...d, joinedOn: value }))}
            error={errors.joinedOn ? t('date.invalid') : undefined}
          />
          <DateField
            label={t('fields.leftOn')}
            value={draft.leftOn}
            onChange={(value) => setDraft((d) => ({ ...d, leftOn: value }))}
            error={errors.leftOn ? t('date.invalid') : undefined}
          />
        </SimpleGrid>
      )}
    >
      <SimpleGrid cols={2} spacing="sm">
        <Field label={t('fields.membershipStatus')}>
          <StatusBadge status={person.membershipStatus} />
        </Field>
        <Field label={t('fields.memberNumber')}>{person.memberNumber}</Field>
        <Field label={t('fields.joinedOn')}>
          {person.joinedOn ? formatPlainDate(person.joinedOn, i18n.language) : null}
        </Field>
        <Field label={t('fields.leftOn')}>
          {person.leftOn ? formatPlainDate(person.leftOn, i18n.language) : null}
        </Field>
      </SimpleGrid>
    </EditableCard>
  );
}
