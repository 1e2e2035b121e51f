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
import { type FormEvent, type ReactElement, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MEMBERSHIP_STATUSES } from '../../../../shared/people.ts';
import { notifySuccess } from '../../../components/notify.ts';
import { type MembershipStatus, type Person, type PersonUpdateInput, useUpdatePerson } from '../api.ts';
import { formatE164, formatPlainDate, inputToIso, isoToInput, serverFieldErrors } from '../format.ts';
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
import { EditButton, EditFooter, Field, SectionCard } from './SectionCard.tsx';

interface CardProps {
  person: Person;
  mayWrite: boolean;
}

const orNull = (value: string) => value.trim() || null;

/** Shared edit-mode plumbing: PATCH, close on success, field errors from the server. */
function useCardEdit(person: Person) {
  const { t } = useTranslation('people');
  const update = useUpdatePerson(person.id);
  const [editing, setEditing] = useState(false);
  const start = () => {
    update.reset();
    setEditing(true);
  };
  const save = (event: FormEvent, body: PersonUpdateInput | null) => {
    event.preventDefault();
    if (!body) return;
    update.mutate(body, {
      onSuccess: () => {
        notifySuccess(t('profile.saved'));
        setEditing(false);
      },
    });
  };
  return {
    update,
    editing,
    start,
    cancel: () => setEditing(false),
    save,
    errors: serverFieldErrors(update.error),
  };
}

export function ContactCard({ person, mayWrite }: CardProps) {
  const { t } = useTranslation('people');
  const edit = useCardEdit(person);
  const [emails, setEmails] = useState<EmailDraft[]>([]);
  const [phones, setPhones] = useState<PhoneDraft[]>([]);
  const [flags, setFlags] = useState({ doNotCall: false, doNotEmail: false, doNotPost: false });
  const start = () => {
    setEmails(emailDrafts(person));
    setPhones(phoneDrafts(person));
    setFlags({ doNotCall: person.doNotCall, doNotEmail: person.doNotEmail, doNotPost: person.doNotPost });
    edit.start();
  };
  const title = t('contact.title');

  return (
    <SectionCard
      title={title}
      testId="person-contact"
      actions={
        mayWrite &&
        !edit.editing && <EditButton onClick={start} label={t('profile.editSection', { section: title })} />
      }
    >
      {edit.editing ? (
        <form
          noValidate
          onSubmit={(event) => edit.save(event, contactChanges(person, emails, phones, flags))}
        >
          <Stack>
            <PhonesEditor value={phones} onChange={setPhones} errors={edit.errors} />
            <EmailsEditor value={emails} onChange={setEmails} errors={edit.errors} />
            <Stack gap={6}>
              <Text size="sm" fw={500}>
                {t('contact.doNotContact')}
              </Text>
              {(['doNotCall', 'doNotEmail', 'doNotPost'] as const).map((flag) => (
                <Checkbox
                  key={flag}
                  label={t(`fields.${flag}`)}
                  checked={flags[flag]}
                  onChange={(event) => {
                    const checked = event.currentTarget.checked;
                    setFlags((f) => ({ ...f, [flag]: checked }));
                  }}
                />
              ))}
            </Stack>
          </Stack>
          <EditFooter onCancel={edit.cancel} saving={edit.update.isPending} error={edit.update.error} />
        </form>
      ) : (
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
      )}
    </SectionCard>
  );
}

/** Only the lists that changed: PATCH replaces a whole list, and the timeline names what changed. */
function contactChanges(
  person: Person,
  emails: EmailDraft[],
  phones: PhoneDraft[],
  flags: { doNotCall: boolean; doNotEmail: boolean; doNotPost: boolean },
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
  const edit = useCardEdit(person);
  const [draft, setDraft] = useState({ title: '', firstName: '', lastName: '', pronouns: '', birthDate: '' });
  const start = () => {
    setDraft({
      title: person.title ?? '',
      firstName: person.firstName,
      lastName: person.lastName,
      pronouns: person.pronouns ?? '',
      birthDate: isoToInput(person.birthDate, i18n.language),
    });
    edit.start();
  };
  const birthDate = inputToIso(draft.birthDate);
  const set = (key: keyof typeof draft) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const title = t('personal.title');
  const noName = !draft.firstName.trim() && !draft.lastName.trim();

  return (
    <SectionCard
      title={title}
      testId="person-personal"
      actions={
        mayWrite &&
        !edit.editing && <EditButton onClick={start} label={t('profile.editSection', { section: title })} />
      }
    >
      {edit.editing ? (
        <form
          noValidate
          onSubmit={(event) =>
            edit.save(
              event,
              birthDate === undefined || noName
                ? null
                : {
                    title: orNull(draft.title),
                    firstName: draft.firstName.trim(),
                    lastName: draft.lastName.trim(),
                    pronouns: orNull(draft.pronouns),
                    birthDate,
                  },
            )
          }
        >
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput label={t('fields.firstName')} value={draft.firstName} onChange={set('firstName')} />
            <TextInput
              label={t('fields.lastName')}
              value={draft.lastName}
              onChange={set('lastName')}
              error={noName ? t('create.nameRequired') : undefined}
            />
            <TextInput label={t('fields.title')} value={draft.title} onChange={set('title')} />
            <TextInput label={t('fields.pronouns')} value={draft.pronouns} onChange={set('pronouns')} />
            <DateField
              label={t('fields.birthDate')}
              value={draft.birthDate}
              onChange={(value) => setDraft((d) => ({ ...d, birthDate: value }))}
              error={edit.errors.birthDate ? t('date.invalid') : undefined}
            />
          </SimpleGrid>
          <EditFooter onCancel={edit.cancel} saving={edit.update.isPending} error={edit.update.error} />
        </form>
      ) : (
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
      )}
    </SectionCard>
  );
}

export function AddressCard({ person, mayWrite }: CardProps) {
  const { t } = useTranslation('people');
  const edit = useCardEdit(person);
  const [draft, setDraft] = useState({
    street: '',
    houseNumber: '',
    postalCode: '',
    city: '',
    country: 'DE',
  });
  const start = () => {
    setDraft({
      street: person.street ?? '',
      houseNumber: person.houseNumber ?? '',
      postalCode: person.postalCode ?? '',
      city: person.city ?? '',
      country: person.country,
    });
    edit.start();
  };
  const set = (key: keyof typeof draft) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const title = t('address.title');
  const err = (key: string) => (edit.errors[key] ? t('form.invalid') : undefined);
  const line1 = [person.street, person.houseNumber].filter(Boolean).join(' ');
  const line2 = [person.postalCode, person.city].filter(Boolean).join(' ');

  return (
    <SectionCard
      title={title}
      testId="person-address"
      actions={
        mayWrite &&
        !edit.editing && <EditButton onClick={start} label={t('profile.editSection', { section: title })} />
      }
    >
      {edit.editing ? (
        <form
          noValidate
          onSubmit={(event) =>
            edit.save(event, {
              street: orNull(draft.street),
              houseNumber: orNull(draft.houseNumber),
              postalCode: orNull(draft.postalCode),
              city: orNull(draft.city),
              country: draft.country.trim().toUpperCase() || 'DE',
            })
          }
        >
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
          <EditFooter onCancel={edit.cancel} saving={edit.update.isPending} error={edit.update.error} />
        </form>
      ) : line1 || line2 ? (
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
    </SectionCard>
  );
}

export function MembershipCard({ person, mayWrite }: CardProps) {
  const { t, i18n } = useTranslation('people');
  const edit = useCardEdit(person);
  const [draft, setDraft] = useState({
    memberNumber: '',
    membershipStatus: 'member' as MembershipStatus,
    joinedOn: '',
    leftOn: '',
  });
  const start = () => {
    setDraft({
      memberNumber: person.memberNumber ?? '',
      membershipStatus: person.membershipStatus,
      joinedOn: isoToInput(person.joinedOn, i18n.language),
      leftOn: isoToInput(person.leftOn, i18n.language),
    });
    edit.start();
  };
  const joinedOn = inputToIso(draft.joinedOn);
  const leftOn = inputToIso(draft.leftOn);
  const title = t('membership.title');

  return (
    <SectionCard
      title={title}
      testId="person-membership"
      actions={
        mayWrite &&
        !edit.editing && <EditButton onClick={start} label={t('profile.editSection', { section: title })} />
      }
    >
      {edit.editing ? (
        <form
          noValidate
          onSubmit={(event) =>
            edit.save(
              event,
              joinedOn === undefined || leftOn === undefined
                ? null
                : {
                    memberNumber: orNull(draft.memberNumber),
                    membershipStatus: draft.membershipStatus,
                    joinedOn,
                    leftOn,
                  },
            )
          }
        >
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
              error={edit.errors.memberNumber ? t('form.invalid') : undefined}
            />
            <DateField
              label={t('fields.joinedOn')}
              value={draft.joinedOn}
              onChange={(value) => setDraft((d) => ({ ...d, joinedOn: value }))}
              error={edit.errors.joinedOn ? t('date.invalid') : undefined}
            />
            <DateField
              label={t('fields.leftOn')}
              value={draft.leftOn}
              onChange={(value) => setDraft((d) => ({ ...d, leftOn: value }))}
              error={edit.errors.leftOn ? t('date.invalid') : undefined}
            />
          </SimpleGrid>
          <EditFooter onCancel={edit.cancel} saving={edit.update.isPending} error={edit.update.error} />
        </form>
      ) : (
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
      )}
    </SectionCard>
  );
}
