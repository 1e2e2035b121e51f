import type { Locale } from '../db/schema.ts';

/** Every mail Draht sends, in German and English, with a plain-text part and a simple HTML part. */
export const TEMPLATES = {
  invitation: {
    de: (v: { orgName: string; roleLabel: string; inviterName: string; link: string; days: number }) => ({
      subject: `Einladung zu Draht: ${v.orgName}`,
      paragraphs: [
        'Hallo,',
        `${v.inviterName} lädt dich ein, in Draht für „${v.orgName}“ als ${v.roleLabel} mitzuarbeiten.`,
        'Lege über diesen Link deinen Namen und dein Passwort fest:',
        { link: v.link },
        `Der Link ist ${v.days} Tage gültig und kann nur einmal verwendet werden. Wenn du diese Einladung nicht erwartet hast, ignoriere diese Mail.`,
      ],
    }),
    en: (v: { orgName: string; roleLabel: string; inviterName: string; link: string; days: number }) => ({
      subject: `Invitation to Draht: ${v.orgName}`,
      paragraphs: [
        'Hello,',
        `${v.inviterName} invites you to work in Draht for “${v.orgName}” as ${v.roleLabel}.`,
        'Set your name and password with this link:',
        { link: v.link },
        `The link is valid for ${v.days} days and works once. If you did not expect this invitation, ignore this mail.`,
      ],
    }),
  },
  passwordReset: {
    de: (v: { name: string; link: string; hours: number }) => ({
      subject: 'Draht: Passwort zurücksetzen',
      paragraphs: [
        `Hallo ${v.name || ''},`.replace(' ,', ','),
        'jemand (hoffentlich du) möchte dein Passwort für Draht zurücksetzen. Neues Passwort festlegen:',
        { link: v.link },
        `Der Link ist ${v.hours} Stunden gültig. Wenn du das nicht warst, ignoriere diese Mail: dein Passwort bleibt unverändert.`,
      ],
    }),
    en: (v: { name: string; link: string; hours: number }) => ({
      subject: 'Draht: reset your password',
      paragraphs: [
        `Hello ${v.name || ''},`.replace(' ,', ','),
        'someone (hopefully you) asked to reset your Draht password. Set a new password:',
        { link: v.link },
        `The link is valid for ${v.hours} hours. If this was not you, ignore this mail: your password stays as it is.`,
      ],
    }),
  },
  consentConfirmation: {
    de: (v: { unitName: string; consentText: string; link: string; days: number }) => ({
      subject: `Bitte bestätigen: Newsletter von ${v.unitName}`,
      paragraphs: [
        'Hallo,',
        `du hast den Newsletter von „${v.unitName}“ bestellt (oder jemand hat dafür deine E-Mail-Adresse angegeben). Bitte bestätige das mit einem Klick auf diesen Link:`,
        { link: v.link },
        'Mit der Bestätigung stimmst du diesem Text zu:',
        `„${v.consentText}“`,
        `Der Link ist ${v.days} Tage gültig. Wenn du den Newsletter nicht möchtest, ignoriere diese Mail: Ohne Bestätigung bekommst du keinen Newsletter.`,
      ],
    }),
    en: (v: { unitName: string; consentText: string; link: string; days: number }) => ({
      subject: `Please confirm: newsletter of ${v.unitName}`,
      paragraphs: [
        'Hello,',
        `you signed up for the newsletter of “${v.unitName}” (or someone gave your email address for it). Please confirm with a click on this link:`,
        { link: v.link },
        'By confirming you agree to this text:',
        `“${v.consentText}”`,
        `The link is valid for ${v.days} days. If you do not want the newsletter, ignore this mail: without your confirmation you get no newsletter.`,
      ],
    }),
  },
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateVars<T extends TemplateName> = Parameters<(typeof TEMPLATES)[T]['de']>[0];

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderMail<T extends TemplateName>(template: T, locale: Locale, vars: TemplateVars<T>) {
  const build = TEMPLATES[template][locale] as (v: TemplateVars<T>) => {
    subject: string;
    paragraphs: readonly (string | { link: string })[];
  };
  const { subject, paragraphs } = build(vars);
  const text = `${paragraphs.map((p) => (typeof p === 'string' ? p : p.link)).join('\n\n')}\n\n-- \nDraht\n`;
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${paragraphs
    .map((p) =>
      typeof p === 'string'
        ? `<p>${escapeHtml(p)}</p>`
        : `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a></p>`,
    )
    .join('')}</body></html>`;
  return { subject, text, html };
}
