import { Button, Group, Menu, Modal, Stack, TextInput } from '@mantine/core';
import { IconChevronDown, IconDeviceFloppy, IconTemplate } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { type Template, useCreateTemplate, useTemplates } from '../api.ts';

/** Load one of the unit's templates into the composer, or save the composer's content as one. */
export function TemplatesMenu({
  orgId,
  subject,
  html,
  onLoad,
  disabled,
}: {
  orgId: string;
  subject: string;
  html: string;
  onLoad: (template: Template) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation('mail');
  const templates = useTemplates(orgId);
  const create = useCreateTemplate();
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const items = templates.data?.items ?? [];

  return (
    <>
      <Menu position="bottom-end" shadow="md" withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            size="sm"
            leftSection={<IconTemplate size={16} aria-hidden />}
            rightSection={<IconChevronDown size={14} aria-hidden />}
            disabled={disabled}
            data-testid="templates-menu"
          >
            {t('templates.menu')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('templates.load')}</Menu.Label>
          {items.length === 0 && <Menu.Item disabled>{t('templates.none')}</Menu.Item>}
          {items.map((tpl) => (
            <Menu.Item key={tpl.id} onClick={() => onLoad(tpl)} data-testid="template-load">
              {tpl.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item
            leftSection={<IconDeviceFloppy size={16} aria-hidden />}
            onClick={() => {
              create.reset();
              setName(subject);
              setSaving(true);
            }}
            disabled={!html}
            data-testid="template-save-open"
          >
            {t('templates.saveAs')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={saving} onClose={() => setSaving(false)} title={t('templates.saveTitle')} centered>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            create.mutate(
              { orgId, name: name.trim(), subject, html },
              {
                onSuccess: () => {
                  notifySuccess(t('templates.saved'));
                  setSaving(false);
                },
              },
            );
          }}
        >
          <Stack>
            <TextInput
              label={t('templates.name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
              data-testid="template-name"
            />
            <ErrorAlert error={create.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setSaving(false)}>
                {t('common:actions.cancel')}
              </Button>
              <Button
                type="submit"
                loading={create.isPending}
                disabled={!name.trim()}
                data-testid="template-save"
              >
                {t('templates.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
