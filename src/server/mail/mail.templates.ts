import type { DigestCounts } from '../../shared/changes.ts';
import type { Locale } from '../db/schema.ts';
import { escapeHtml } from './mail-placeholders.ts';

/** A data-change digest: the unit, counts by kind (never names) and the link to the change list. */
type DigestMailVars = { orgName: string; link: string } & DigestCounts;

const DIGEST_WORDS = {
  de: {
    created: ['neue Person', 'neue Personen'],
    movedIn: ['Zuzug', 'Zuzüge'],
    movedOut: ['Wegzug', 'Wegzüge'],
    movedWithin: ['Umzug innerhalb', 'Umzüge innerhalb'],
    departed: ['Austritt', 'Austritte'],
    contactChanged: ['Änderung von Kontaktdaten', 'Änderungen von Kontaktdaten'],
    none: 'keine Änderungen',
  },
  en: {
    created: ['new person', 'new people'],
    movedIn: ['person moved in', 'people moved in'],
    movedOut: ['person moved out', 'people moved out'],
    movedWithin: ['move within', 'moves within'],
    departed: ['departure', 'departures'],
    contactChanged: ['change of contact data', 'changes of contact data'],
    none: 'no changes',
  },
} as const;

/** "3 neue Personen, 1 Zuzug, 1 Austritt": the counts that are not zero. */
function digestSummary(v: DigestCounts, locale: Locale): string {
  const words = DIGEST_WORDS[locale];
  const keys = ['created', 'movedIn', 'movedOut', 'movedWithin', 'departed', 'contactChanged'] as const;
  const parts = keys
    .filter((k) => Number(v[k]) > 0)
    .map((k) => `${v[k].toLocaleString(locale)} ${words[k][Number(v[k]) === 1 ? 0 : 1]}`);
  return parts.length ? parts.join(', ') : words.none;
}

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
  changeDigest: {
    de: (v: DigestMailVars) => ({
      subject: `Draht: Änderungen in „${v.orgName}“`,
      paragraphs: [
        'Hallo,',
        `seit dem letzten Bericht gab es in „${v.orgName}“ (mit Untereinheiten): ${digestSummary(v, 'de')}.`,
        'Ansehen (nach der Anmeldung in Draht):',
        { link: v.link },
        'Diese Mail nennt absichtlich keine Namen oder Adressen. Du bekommst sie als verantwortliche Person der Einheit; wie oft, stellen die Admins in Draht bei der Einheit ein.',
      ],
    }),
    en: (v: DigestMailVars) => ({
      subject: `Draht: changes in “${v.orgName}”`,
      paragraphs: [
        'Hello,',
        `since the last report, “${v.orgName}” (with its sub-units) had: ${digestSummary(v, 'en')}.`,
        'See them (after signing in to Draht):',
        { link: v.link },
        'This mail deliberately names no names or addresses. You get it as a responsible person of the unit; its admins set how often in Draht.',
      ],
    }),
  },
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateVars<T extends TemplateName> = Parameters<(typeof TEMPLATES)[T]['de']>[0];

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
