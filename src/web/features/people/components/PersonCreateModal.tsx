import { Button, Divider, Group, Modal, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { MEMBERSHIP_STATUSES } from '../../../../shared/people.ts';
import { notifySuccess } from '../../../components/notify.ts';
import { type DuplicateCheckMatch, useDuplicateCheck } from '../../duplicates/api.ts';
import { type MembershipStatus, useCreatePerson } from '../api.ts';
import { fullName, inputToIso, serverFieldErrors } from '../format.ts';
import { FormError } from './FormError.tsx';
import {
  DateField,
  type EmailDraft,
  EmailsEditor,
  emailsInput,
  emptyEmail,
  emptyPhone,
  type PhoneDraft,
  PhonesEditor,
  phonesInput,
} from './inputs.tsx';
import { PossibleDuplicatesAlert } from './PossibleDuplicatesAlert.tsx';

interface Draft {
  firstName: string;
  lastName: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  membershipStatus: MembershipStatus;
  memberNumber: string;
  birthDate: string;
  joinedOn: string;
  emails: EmailDraft[];
  phones: PhoneDraft[];
}

const empty = (): Draft => ({
  firstName: '',
  lastName: '',
  street: '',
  houseNumber: '',
  postalCode: '',
  city: '',
  membershipStatus: 'interested',
  memberNumber: '',
  birthDate: '',
  joinedOn: '',
  emails: [emptyEmail(true)],
  phones: [emptyPhone(true)],
});

const orNull = (value: string) => value.trim() || null;

export function PersonCreateModal({
  orgId,
  opened,
  onClose,
}: {
  orgId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('people');
  const navigate = useNavigate();
  const create = useCreatePerson();
  const duplicateCheck = useDuplicateCheck();
  const [draft, setDraft] = useState<Draft>(empty);
  // People the check found for the draft as it is now; editing the draft asks again on save.
  const [duplicates, setDuplicates] = useState<DuplicateCheckMatch[] | null>(null);
  const [nameMissing, setNameMissing] = useState(false);
  const fullScreen = useMediaQuery('(max-width: 36em)');

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when opened
  useEffect(() => {
    if (opened) {
      setDraft(empty());
      setNameMissing(false);
      setDuplicates(null);
      create.reset();
    }
  }, [opened]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setDuplicates(null);
  };
  const errors = serverFieldErrors(create.error);
  const birthDate = inputToIso(draft.birthDate);
  const joinedOn = inputToIso(draft.joinedOn);

  const submit = (checked: boolean) => {
    if (!draft.firstName.trim() && !draft.lastName.trim()) {
      setNameMissing(true);
      return;
    }
    if (birthDate === undefined || joinedOn === undefined) return;
    if (!checked) {
      // Ask first; a failed check does not stop the save (it is advice, the server never refuses).
      duplicateCheck.mutate(
        {
          orgId,
          emails: emailsInput(draft.emails).map((e) => e.email),
          phones: phonesInput(draft.phones).map((p) => p.number),
          firstName: draft.firstName.trim(),
          lastName: draft.lastName.trim(),
        },
        {
          onSuccess: ({ matches }) => (matches.length ? setDuplicates(matches) : submit(true)),
          onError: () => submit(true),
        },
      );
      return;
    }
    create.mutate(
      {
        orgId,
        firstName: draft.firstName.trim(),
        lastName: draft.lastName.trim(),
        street: orNull(draft.street),
        houseNumber: orNull(draft.houseNumber),
        postalCode: orNull(draft.postalCode),
        city: orNull(draft.city),
        membershipStatus: draft.membershipStatus,
        memberNumber: orNull(draft.memberNumber),
        birthDate,
        joinedOn,
        emails: emailsInput(draft.emails),
        phones: phonesInput(draft.phones),
      },
      {
        onSuccess: (person) => {
          notifySuccess(t('create.created', { name: fullName(person) }));
          onClose();
          navigate(`/people/${person.id}`);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('create.title')} size="lg" fullScreen={fullScreen}>
      <form
        noValidate
        data-testid="person-create-form"
        onSubmit={(event) => {
          event.preventDefault();
          submit(false);
        }}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput
              label={t('fields.firstName')}
              data-autofocus
              value={draft.firstName}
              onChange={(e) => set('firstName', e.currentTarget.value)}
              error={errors.firstName ? t('form.invalid') : undefined}
            />
            <TextInput
              label={t('fields.lastName')}
              value={draft.lastName}
              onChange={(e) => set('lastName', e.currentTarget.value)}
              error={nameMissing || errors.lastName ? t('create.nameRequired') : undefined}
            />
          </SimpleGrid>
          <EmailsEditor value={draft.emails} onChange={(v) => set('emails', v)} errors={errors} />
          <PhonesEditor value={draft.phones} onChange={(v) => set('phones', v)} errors={errors} />
          <Divider label={t('address.title')} labelPosition="left" />
          <Group align="flex-start" wrap="nowrap" gap="sm">
            <TextInput
              style={{ flex: 3, minWidth: 0 }}
              label={t('fields.street')}
              value={draft.street}
              onChange={(e) => set('street', e.currentTarget.value)}
              error={errors.street ? t('form.invalid') : undefined}
            />
            <TextInput
              style={{ flex: 1, minWidth: 0 }}
              label={t('fields.houseNumber')}
              value={draft.houseNumber}
              onChange={(e) => set('houseNumber', e.currentTarget.value)}
              error={errors.houseNumber ? t('form.invalid') : undefined}
            />
          </Group>
          <Group align="flex-start" wrap="nowrap" gap="sm">
            <TextInput
              style={{ flex: 1, minWidth: 0 }}
              label={t('fields.postalCode')}
              inputMode="numeric"
              value={draft.postalCode}
              onChange={(e) => set('postalCode', e.currentTarget.value)}
              error={errors.postalCode ? t('form.invalid') : undefined}
            />
            <TextInput
              style={{ flex: 2, minWidth: 0 }}
              label={t('fields.city')}
              value={draft.city}
              onChange={(e) => set('city', e.currentTarget.value)}
              error={errors.city ? t('form.invalid') : undefined}
            />
          </Group>
          <Divider label={t('membership.title')} labelPosition="left" />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <NativeSelect
              label={t('fields.membershipStatus')}
              value={draft.membershipStatus}
              onChange={(e) => set('membershipStatus', e.currentTarget.value as MembershipStatus)}
              data={MEMBERSHIP_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
            />
            <TextInput
              label={t('fields.memberNumber')}
              value={draft.memberNumber}
              onChange={(e) => set('memberNumber', e.currentTarget.value)}
              error={errors.memberNumber ? t('form.invalid') : undefined}
            />
            <DateField
              label={t('fields.birthDate')}
              value={draft.birthDate}
              onChange={(v) => set('birthDate', v)}
              error={errors.birthDate ? t('date.invalid') : undefined}
            />
            <DateField
              label={t('fields.joinedOn')}
              value={draft.joinedOn}
              onChange={(v) => set('joinedOn', v)}
              error={errors.joinedOn ? t('date.invalid') : undefined}
            />
          </SimpleGrid>
          <FormError error={create.error} />
          {duplicates ? (
            <PossibleDuplicatesAlert
              matches={duplicates}
              saving={create.isPending}
              onSaveAnyway={() => submit(true)}
              onOpen={(id) => {
                onClose();
                navigate(`/people/${id}`);
              }}
            />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            {!duplicates && (
              <Button
                type="submit"
                loading={create.isPending || duplicateCheck.isPending}
                data-testid="person-create-submit"
              >
                {t('create.submit')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
