import { Group, Loader, Paper, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { type DragEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A drop zone that is also a button opening the file dialog (keyboard: Enter/Space). */
export function UploadCard({ busy, onFile }: { busy: boolean; onFile: (file: File) => void }) {
  const { t } = useTranslation('imports');
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file && !busy) onFile(file);
  };
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Text fw={700}>{t('upload.title')}</Text>
        <UnstyledButton
          onClick={() => input.current?.click()}
          onDragOver={(event) => {
            event.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={drop}
          disabled={busy}
          data-testid="import-dropzone"
          style={{
            border: `2px dashed var(--mantine-color-${over ? 'blue-6' : 'gray-4'})`,
            borderRadius: 'var(--mantine-radius-md)',
            background: over ? 'var(--mantine-color-blue-0)' : 'var(--mantine-color-white)',
            padding: 'var(--mantine-spacing-xl)',
          }}
        >
          <Group justify="center" gap="md" wrap="nowrap">
            <ThemeIcon size={48} radius="xl" variant="light">
              {busy ? <Loader size={24} /> : <IconUpload size={26} aria-hidden />}
            </ThemeIcon>
            <Stack gap={2}>
              <Text fw={600}>{busy ? t('upload.uploading') : t('upload.drop')}</Text>
              <Group gap={6} c="dimmed" wrap="nowrap" align="flex-start">
                <IconFileSpreadsheet size={16} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
                <Text size="sm">{t('upload.hint', { size: 250 })}</Text>
              </Group>
            </Stack>
          </Group>
        </UnstyledButton>
        <input
          ref={input}
          type="file"
          hidden
          aria-label={t('upload.fileLabel')}
          accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          data-testid="import-file"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) onFile(file);
            event.currentTarget.value = '';
          }}
        />
      </Stack>
    </Paper>
  );
}
