import '@mantine/tiptap/styles.css';
import { Button, Menu, Popover, Stack, Text, TextInput } from '@mantine/core';
import { Link, RichTextEditor } from '@mantine/tiptap';
import { IconBraces, IconPhoto, IconRectangle } from '@tabler/icons-react';
import Image from '@tiptap/extension-image';
import { type Editor, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { forwardRef, useImperativeHandle, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PLACEHOLDERS } from '../../../../shared/mailings.ts';
import { MailImageDialog } from './MailImageDialog.tsx';
import './mail-editor.css';

/**
 * A link the mail shows as a button: `<a data-button="true">`, which the server's sanitiser keeps
 * and the mail layout draws as a button (MJML, inline styles).
 */
const MailLink = Link.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      button: {
        default: false,
        parseHTML: (element: HTMLElement) => element.hasAttribute('data-button'),
        renderHTML: (attributes: { button?: boolean }) =>
          attributes.button ? { 'data-button': 'true' } : {},
      },
    };
  },
});

/** A link target: a web or mail address, or the personal link the layout fills in. */
const LINK_TARGET = /^(https?:\/\/\S+|mailto:\S+@\S+|\{\{\s*(unsubscribeUrl|consentUrl)\s*\}\})$/i;
export interface MailEditorHandle {
  /** Replaces the whole body (loading a template). */
  setHtml: (html: string) => void;
}

/**
 * The mail body: headings, bold/italic, lists, links, images uploaded to the unit (`orgId`), a
 * button, placeholders.
 */
export const MailEditor = forwardRef<
  MailEditorHandle,
  {
    initialHtml: string;
    onChange: (html: string) => void;
    readOnly?: boolean;
    labelId: string;
    orgId: string;
  }
>(function MailEditor({ initialHtml, onChange, readOnly = false, labelId, orgId }, ref) {
  const { t } = useTranslation('mail');
  const editor = useEditor({
    extensions: [
      StarterKit.configure({ link: false, heading: { levels: [2, 3] }, code: false, codeBlock: false }),
      MailLink.configure({ openOnClick: false, HTMLAttributes: { target: null, rel: null, class: null } }),
      Image.configure({ inline: false }),
    ],
    content: initialHtml,
    editable: !readOnly,
    editorProps: {
      attributes: {
        'aria-labelledby': labelId,
        'aria-multiline': 'true',
        role: 'textbox',
        'data-testid': 'mailing-body',
      },
    },
    onUpdate: ({ editor: e }) => onChange(e.isEmpty ? '' : e.getHTML()),
  });
  useImperativeHandle(
    ref,
    () => ({ setHtml: (html) => editor?.commands.setContent(html, { emitUpdate: true }) }),
    [editor],
  );

  return (
    <RichTextEditor editor={editor} labels={useEditorLabels()} className="mail-editor">
      {!readOnly && (
        <RichTextEditor.Toolbar sticky stickyOffset={60}>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.H2 />
            <RichTextEditor.H3 />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Underline />
            <RichTextEditor.ClearFormatting />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Link />
            <RichTextEditor.Unlink />
            <ImageControl editor={editor} orgId={orgId} />
            <ButtonControl editor={editor} />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <PlaceholderMenu editor={editor} />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Undo />
            <RichTextEditor.Redo />
          </RichTextEditor.ControlsGroup>
        </RichTextEditor.Toolbar>
      )}
      <RichTextEditor.Content />
      {!readOnly && (
        <Text
          size="xs"
          c="dimmed"
          px="sm"
          py={6}
          style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
        >
          {t('composer.placeholderHint', {
            example: `{{firstName|${t('composer.placeholderFallback')}}}`,
            fallback: t('composer.placeholderFallback'),
            plain: '{{firstName}}',
          })}
        </Text>
      )}
    </RichTextEditor>
  );
});

function useEditorLabels() {
  const { t } = useTranslation('mail');
  return {
    boldControlLabel: t('editor.bold'),
    italicControlLabel: t('editor.italic'),
    underlineControlLabel: t('editor.underline'),
    clearFormattingControlLabel: t('editor.clearFormatting'),
    h2ControlLabel: t('editor.h2'),
    h3ControlLabel: t('editor.h3'),
    bulletListControlLabel: t('editor.bulletList'),
    orderedListControlLabel: t('editor.orderedList'),
    linkControlLabel: t('editor.link'),
    unlinkControlLabel: t('editor.unlink'),
    undoControlLabel: t('editor.undo'),
    redoControlLabel: t('editor.redo'),
    linkEditorInputLabel: t('editor.linkUrl'),
    linkEditorInputPlaceholder: 'https://…',
    linkEditorExternalLink: t('editor.linkNewTab'),
    linkEditorInternalLink: t('editor.linkSameTab'),
    linkEditorSave: t('editor.linkSave'),
  };
}

/** A popover with fields and an insert button, opened from a toolbar control. */
function InsertPopover({
  label,
  icon,
  testId,
  fields,
  canInsert,
  onInsert,
}: {
  label: string;
  icon: React.ReactNode;
  testId: string;
  fields: React.ReactNode;
  canInsert: boolean;
  onInsert: () => void;
}) {
  const { t } = useTranslation('mail');
  const [opened, setOpened] = useState(false);
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      trapFocus
      withinPortal
      position="bottom"
      shadow="md"
      width={300}
    >
      <Popover.Target>
        <RichTextEditor.Control
          aria-label={label}
          title={label}
          onClick={() => setOpened((o) => !o)}
          data-testid={testId}
        >
          {icon}
        </RichTextEditor.Control>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!canInsert) return;
            onInsert();
            setOpened(false);
          }}
        >
          <Stack gap="xs">
            {fields}
            <Button type="submit" size="xs" disabled={!canInsert} data-testid={`${testId}-insert`}>
              {t('editor.insert')}
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

/** The image control opens the image dialog (upload, or one the unit uploaded before). */
function ImageControl({ editor, orgId }: { editor: Editor | null; orgId: string }) {
  const { t } = useTranslation('mail');
  const [opened, setOpened] = useState(false);
  return (
    <>
      <RichTextEditor.Control
        aria-label={t('editor.image')}
        title={t('editor.image')}
        onClick={() => setOpened(true)}
        data-testid="editor-image"
      >
        <IconPhoto size={16} stroke={1.5} aria-hidden />
      </RichTextEditor.Control>
      <MailImageDialog
        orgId={orgId}
        opened={opened}
        onClose={() => setOpened(false)}
        onInsert={(image) => editor?.chain().focus().setImage(image).run()}
      />
    </>
  );
}

function ButtonControl({ editor }: { editor: Editor | null }) {
  const { t } = useTranslation('mail');
  const [text, setText] = useState('');
  const [href, setHref] = useState('');
  return (
    <InsertPopover
      label={t('editor.button')}
      icon={<IconRectangle size={16} stroke={1.5} aria-hidden />}
      testId="editor-button"
      canInsert={text.trim() !== '' && LINK_TARGET.test(href.trim())}
      onInsert={() => {
        editor
          ?.chain()
          .focus()
          .insertContent([
            {
              type: 'paragraph',
              content: [
                {
                  type: 'text',
                  text: text.trim(),
                  marks: [{ type: 'link', attrs: { href: href.trim(), button: true } }],
                },
              ],
            },
            { type: 'paragraph' },
          ])
          .run();
        setText('');
        setHref('');
      }}
      fields={
        <>
          <TextInput
            label={t('editor.buttonText')}
            placeholder={t('editor.buttonTextExample')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label={t('editor.buttonUrl')}
            description={t('editor.buttonUrlHint', { consent: '{{consentUrl}}' })}
            placeholder="https://…"
            value={href}
            onChange={(e) => setHref(e.currentTarget.value)}
          />
        </>
      }
    />
  );
}

function PlaceholderMenu({ editor }: { editor: Editor | null }) {
  const { t } = useTranslation('mail');
  return (
    <Menu withinPortal position="bottom-start" shadow="md">
      <Menu.Target>
        <RichTextEditor.Control
          aria-label={t('editor.placeholders')}
          title={t('editor.placeholders')}
          w="auto"
          px={8}
          data-testid="editor-placeholders"
        >
          <IconBraces size={16} stroke={1.5} aria-hidden />
          <Text span size="xs" ml={4} visibleFrom="xs">
            {t('editor.placeholdersShort')}
          </Text>
        </RichTextEditor.Control>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('editor.placeholders')}</Menu.Label>
        {PLACEHOLDERS.map((p) => (
          <Menu.Item
            key={p}
            onClick={() => editor?.chain().focus().insertContent(`{{${p}}}`).run()}
            rightSection={
              <Text size="xs" c="dimmed" ff="monospace">
                {`{{${p}}}`}
              </Text>
            }
            data-testid={`placeholder-${p}`}
          >
            {t(`placeholders.${p}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
