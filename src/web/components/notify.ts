import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { errorText } from './errors.ts';

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 4000 });
}

export function notifyError(t: TFunction, error: unknown): void {
  notifications.show({
    color: 'red',
    title: t('common:errorTitle'),
    message: errorText(t, error),
    autoClose: 7000,
  });
}
