import {
  Alert,
  Button,
  FileButton,
  Group,
  Image,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAIL_IMAGE_MAX_BYTES, MAIL_IMAGE_TYPES } from '../../../../shared/mail-images.ts';
import { isApiError } from '../../../lib/api.ts';
import { useMailImages, useUploadMailImage } from '../images-api.ts';

/**
 * Inserting an image: upload one (PNG, JPEG, GIF, WebP, at most 2 MB) or pick one the unit uploaded
 * before, then describe it. The image lives in Draht (`/api/public/mail-images/<id>`), so the editor
 * and the preview show it under the app's strict CSP and mail programs load it from PUBLIC_URL.
 * Images from other sites are not offered: the app could not show them (CSP) and every mail
 * program opening them would ask a third party.
 */
export function MailImageDialog({
  orgId,
  opened,
  onClose,
  onInsert,
}: {
  orgId: string;
  opened: boolean;
  onClose: () => void;
  onInsert: (image: { src: string; alt: string }) => void;
}) {
  const { t } = useTranslation('mail');
  const images = useMailImages(orgId, opened);
  const upload = useUploadMailImage(orgId);
  const [selected, setSelected] = useState<string | null>(null);
  const [alt, setAlt] = useState('');
  const [tooLarge, setTooLarge] = useState(false);
  const recentLabelId = useId();

  useEffect(() => {
    if (!opened) {
      setSelected(null);
      setAlt('');
      setTooLarge(false);
      upload.reset();
    }
  }, [opened, upload.reset]);

  const choose = (file: File | null) => {
    if (!file) return;
    upload.reset();
    // Checked here to spare the wait; the server checks size and type again (by the bytes).
    setTooLarge(file.size > MAIL_IMAGE_MAX_BYTES);
    if (file.size > MAIL_IMAGE_MAX_BYTES) return;
    upload.mutate(file, { onSuccess: (img) => setSelected(img.url) });
  };

  const uploadError = tooLarge
    ? t('editor.imageTooLarge')
    : upload.error
      ? isApiError(upload.error, 'payload_too_large')
        ? t('editor.imageTooLarge')
        : isApiError(upload.error) && upload.error.details.some((d) => d.reason === 'image_type_not_allowed')
          ? t('editor.imageWrongType')
          : t('editor.imageUploadFailed')
      : null;
  const canInsert = selected !== null && alt.trim() !== '';

  return (
    <Modal opened={opened} onClose={onClose} title={t('editor.image')} size="lg" data-testid="image-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!canInsert || !selected) return;
          onInsert({ src: selected, alt: alt.trim() });
          onClose();
        }}
      >
        <Stack gap="md">
          <Group gap="sm" align="center">
            <FileButton onChange={choose} accept={MAIL_IMAGE_TYPES.join(',')}>
              {(props) => (
                <Button
                  {...props}
                  variant="light"
                  leftSection={<IconUpload size={16} aria-hidden />}
                  loading={upload.isPending}
                  data-testid="image-upload"
                >
                  {t('editor.imageUpload')}
                </Button>
              )}
            </FileButton>
            <Text size="sm" c="dimmed">
              {t('editor.imageUploadHint')}
            </Text>
          </Group>
          {uploadError && (
            <Alert color="red" role="alert" data-testid="image-upload-error">
              {uploadError}
            </Alert>
          )}

          <Stack gap={6}>
            <Text size="sm" fw={500} id={recentLabelId}>
              {t('editor.imageRecent')}
            </Text>
            {images.isPending ? (
              <Loader size="sm" aria-label={t('editor.imageRecent')} />
            ) : (images.data?.items.length ?? 0) === 0 ? (
              <Text size="sm" c="dimmed">
                {t('editor.imageNone')}
              </Text>
            ) : (
              <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs" role="group" aria-labelledby={recentLabelId}>
                {images.data?.items.map((img, i) => (
                  <UnstyledButton
                    key={img.id}
                    onClick={() => setSelected(img.url)}
                    aria-pressed={selected === img.url}
                    aria-label={t('editor.imagePick', { n: i + 1 })}
                    data-testid="image-recent"
                    style={{
                      border: `2px solid ${
                        selected === img.url
                          ? 'var(--mantine-primary-color-filled)'
                          : 'var(--mantine-color-gray-3)'
                      }`,
                      borderRadius: 6,
                      padding: 2,
                      aspectRatio: '1',
                      display: 'flex',
                      alignItems: 'center',
                      justifyContent: 'center',
                      background: 'var(--mantine-color-gray-0)',
                    }}
                  >
                    <Image src={img.url} alt="" fit="contain" mah="100%" maw="100%" />
                  </UnstyledButton>
                ))}
              </SimpleGrid>
            )}
          </Stack>

          {selected && (
            <Group gap="sm" align="flex-start" wrap="nowrap">
              <Image
                src={selected}
                alt=""
                w={96}
                h={96}
                fit="contain"
                radius="sm"
                bg="gray.0"
                data-testid="image-selected"
              />
              <Text size="sm" c="dimmed">
                {t('editor.imageChosen')}
              </Text>
            </Group>
          )}

          <TextInput
            label={t('editor.imageAlt')}
            description={t('editor.imageAltHint')}
            value={alt}
            onChange={(e) => setAlt(e.currentTarget.value)}
            required
            data-testid="image-alt"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('editor.cancel')}
            </Button>
            <Button type="submit" disabled={!canInsert} data-testid="image-insert">
              {t('editor.insert')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
