import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyLocale, isLocale, LOCALES } from '../../../app/i18n.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { type Me, useUpdateMe } from '../../auth/api.ts';

export function ProfileSection({ me }: { me: Me }) {
  const { t } = useTranslation('account');
  const update = useUpdateMe();
  const form = useForm({
    initialValues: { name: me.user.name, locale: me.user.locale as string },
    validate: { name: (value) => (value.trim() ? null : t('profile.nameRequired')) },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        const locale = isLocale(values.locale) ? values.locale : 'de';
        update.mutate(
          { name: values.name.trim(), locale },
          {
            onSuccess: () => {
              applyLocale(locale);
              form.resetDirty();
              notifySuccess(t('profile.saved'));
            },
          },
        );
      })}
    >
      <Stack>
        <TextInput label={t('profile.email')} value={me.user.email} readOnly variant="filled" />
        <TextInput label={t('profile.name')} required autoComplete="name" {...form.getInputProps('name')} />
        <Select
          label={t('profile.language')}
          allowDeselect={false}
          data={LOCALES.map((locale) => ({ value: locale, label: t(`common:languages.${locale}`) }))}
          {...form.getInputProps('locale')}
        />
        <ErrorAlert error={update.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
