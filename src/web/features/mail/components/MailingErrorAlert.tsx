import { Alert, Anchor, List } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { isApiError } from '../../../lib/api.ts';

/** `{{naem}}` or `naem` from a detail the server sent with `unknown_placeholder`. */
function placeholderOf(detail: { message: string; path: string } & Record<string, unknown>): string {
  for (const key of ['placeholder', 'name', 'value']) {
    if (typeof detail[key] === 'string') return String(detail[key]);
  }
  const braces = /\{\{\s*([^}|\s]+)/.exec(detail.message);
  if (braces) return braces[1];
  const quoted = /["'„“`]([^"'„“`]+)["'“`]/.exec(detail.message);
  return quoted ? quoted[1] : '';
}

/**
 * A refusal to test or send a mailing (422), said plainly: the footer is missing (with the way
 * to the unit's mail settings), a placeholder is unknown (naming it), nobody can be reached.
 * Other errors fall back to the usual alert.
 */
export function MailingErrorAlert({ error, orgId }: { error: unknown; orgId: string }) {
  const { t } = useTranslation('mail');
  const { can } = useCurrentOrg();
  if (!error) return null;
  if (!isApiError(error, 'rule_violation') || !error.details.some((d) => d.reason))
    return <ErrorAlert error={error} />;
  const texts = error.details.map((d) => {
    const detail = d as typeof d & Record<string, unknown>;
    switch (d.reason) {
      case 'footer_missing':
        return (
          <>
            {t('common:errors.reasons.footer_missing')}{' '}
            {can('mail:configure', orgId) ? (
              <Anchor
                component={Link}
                to={`/mailings/settings?org=${orgId}`}
                inherit
                data-testid="footer-missing-link"
              >
                {t('errors.toSettings')}
              </Anchor>
            ) : (
              t('composer.askAdmin')
            )}
          </>
        );
      case 'unknown_placeholder': {
        const name = placeholderOf(detail);
        return name
          ? t('errors.unknownPlaceholder', { name: `{{${name}}}` })
          : t('common:errors.reasons.unknown_placeholder');
      }
      default:
        return t(`common:errors.reasons.${d.reason}`, { defaultValue: d.message });
    }
  });
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={20} aria-hidden />}
      title={t('errors.title')}
      role="alert"
      data-testid="mailing-error"
    >
      {texts.length === 1 ? (
        texts[0]
      ) : (
        <List size="sm">
          {texts.map((text, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the details have no id and never reorder
            <List.Item key={i}>{text}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
