import { createRequire } from 'node:module';
import type * as HtmlToText from 'html-to-text';
import type Mjml from 'mjml';
import type SanitizeHtml from 'sanitize-html';
import { allowedPlaceholders, type MailingPurpose } from '../../shared/mailings.ts';
import {
  type CompiledContent,
  type CompiledMailing,
  escapeHtml,
  findPlaceholders,
  oneLine,
  PLACEHOLDER,
  type PlaceholderUse,
  placeholderRenderer,
} from './mail-placeholders.ts';

export {
  type CompiledContent,
  type CompiledMailing,
  findPlaceholders,
  type PlaceholderUse,
  type RecipientVars,
  type RenderedMail,
} from './mail-placeholders.ts';

/**
 * The compose libraries (~120 MB of RSS together) load on first use, not with this module: a
 * process that never composes (the delivery worker) never holds them.
 */
const requireLib = createRequire(import.meta.url);
let sanitizeLib: typeof SanitizeHtml | undefined;
let mjmlLib: typeof Mjml | undefined;
let toTextLib: ((html: string) => string) | undefined;

/**
 * Composing a mailing, as pure functions: the author's HTML is sanitised with an allow-list, laid
 * out with MJML once per mailing (responsive, inline-styled HTML that mail programs render) with the
 * unit's footer and an unsubscribe link, and turned into a plain-text part; per recipient only the
 * placeholders `{{name}}` / `{{name|Fallback}}` are filled in (values HTML-escaped in the HTML part,
 * line breaks stripped in the subject). `compileMailing(…)` is called where a mailing is previewed,
 * test-sent and started (the laid-out parts are frozen on the mailing then); the delivery worker
 * renders the frozen parts with mail-placeholders.ts alone.
 */

// ---- sanitising ------------------------------------------------------------------------------

const LINK_PLACEHOLDER = /^\{\{\s*(unsubscribeUrl|consentUrl)\s*\}\}$/;
const SAFE_HREF = /^(https?:\/\/|mailto:)/i;
const SAFE_IMG = /^(https:\/\/|data:image\/(png|jpe?g|gif|webp);base64,)/i;
/** An image uploaded to Draht, as the editor inserts it (relative; made absolute at layout time). */
const UPLOADED_IMG =
  /^\/api\/public\/mail-images\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPLOADED_IMG_SRC = /(<img\b[^>]*?\ssrc=")(\/api\/public\/mail-images\/)/g;

const SANITIZE: SanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'p',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'a',
    'img',
    'ul',
    'ol',
    'li',
    'blockquote',
    'br',
    'hr',
  ],
  allowedAttributes: { a: ['href', 'data-button'], img: ['src', 'alt', 'width'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https', 'data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // One canonical form of a link: a safe href (or a link placeholder) and the button marker.
    a: (_tag, attribs) => {
      const href = (attribs.href ?? '').trim();
      const button = attribs['data-button'] !== undefined || /(^|\s)button(\s|$)/.test(attribs.class ?? '');
      const out: Record<string, string> = {};
      if (SAFE_HREF.test(href) || LINK_PLACEHOLDER.test(href)) out.href = href;
      if (button) out['data-button'] = '';
      return { tagName: 'a', attribs: out };
    },
    img: (_tag, attribs) => {
      const out: Record<string, string> = {};
      const src = (attribs.src ?? '').trim();
      if (SAFE_IMG.test(src) || UPLOADED_IMG.test(src)) out.src = src;
      if (attribs.alt) out.alt = attribs.alt;
      if (/^\d{1,4}$/.test(attribs.width ?? '')) out.width = attribs.width;
      return { tagName: 'img', attribs: out };
    },
  },
  // An image without a safe source is dropped altogether.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/** The author's HTML reduced to the allow-list: no scripts, styles, event handlers or unsafe URLs. */
export function sanitizeMailHtml(html: string): string {
  sanitizeLib ??= requireLib('sanitize-html') as typeof SanitizeHtml;
  return sanitizeLib(html, SANITIZE);
}

// ---- placeholders (mail-placeholders.ts: the per-recipient part, all the worker loads) -------

/** Placeholder names in subject or body that this purpose does not know, each once. */
export function unknownPlaceholders(m: { subject: string; html: string; purpose: MailingPurpose }): string[] {
  const allowed = new Set<string>(allowedPlaceholders(m.purpose));
  const names = [...findPlaceholders(m.subject), ...findPlaceholders(m.html)].map((p) => p.name);
  return [...new Set(names.filter((n) => !allowed.has(n)))];
}

// ---- layout ----------------------------------------------------------------------------------

export interface ComposeSettings {
  /** Imprint / postal address of the unit (plain text). */
  footer: string;
  orgName: string;
  locale?: 'de' | 'en';
  /** PUBLIC_URL (config.publicUrl, no trailing slash): uploaded images' paths become absolute with it. */
  publicUrl: string;
}

export interface MailingContent {
  id: string;
  updatedAt: Date | string;
  subject: string;
  html: string;
  purpose: MailingPurpose;
}

const UNSUBSCRIBE_TEXT = {
  de: 'Keine Mails mehr bekommen: abmelden',
  en: 'Stop receiving these mails: unsubscribe',
};

const BUTTON_BLOCK = /<p>\s*<a href="([^"]*)" data-button(?:="")?>([\s\S]*?)<\/a>\s*<\/p>/g;
const INLINE_BUTTON_STYLE =
  'display:inline-block;padding:10px 20px;background:#b3001b;color:#ffffff;border-radius:4px;text-decoration:none;font-weight:bold';

/** The sanitised body as MJML: text blocks, and a paragraph holding only a button as mj-button. */
function bodyToMjml(body: string): string {
  const blocks: string[] = [];
  const text = (html: string) => {
    const styled = html.replace(
      /<a href="([^"]*)" data-button(?:="")?>/g,
      `<a href="$1" style="${INLINE_BUTTON_STYLE}">`,
    );
    if (styled.trim()) blocks.push(`<mj-text>${styled}</mj-text>`);
  };
  let last = 0;
  for (const m of body.matchAll(BUTTON_BLOCK)) {
    text(body.slice(last, m.index));
    blocks.push(`<mj-button href="${m[1]}">${m[2]}</mj-button>`);
    last = (m.index ?? 0) + m[0].length;
  }
  text(body.slice(last));
  return blocks.join('\n');
}

function footerHtml(settings: ComposeSettings): string {
  const locale = settings.locale ?? 'de';
  const lines = escapeHtml(settings.footer.trim()).replace(/\r?\n/g, '<br>');
  return `${lines}<br><br><a href="{{unsubscribeUrl}}">${UNSUBSCRIBE_TEXT[locale]}</a>`;
}

function layout(subject: string, body: string, settings: ComposeSettings): string {
  return `<mjml lang="${settings.locale ?? 'de'}">
  <mj-head>
    <mj-title>${escapeHtml(subject)}</mj-title>
    <mj-attributes>
      <mj-all font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="1.5" color="#1a1a1a" />
      <mj-button background-color="#b3001b" color="#ffffff" font-size="16px" font-weight="bold" border-radius="4px" inner-padding="12px 24px" />
    </mj-attributes>
    <mj-style inline="inline">
      a { color: #b3001b; }
      img { max-width: 100%; height: auto; }
      blockquote { margin: 0 0 0 8px; padding-left: 12px; border-left: 3px solid #cccccc; color: #444444; }
      h1, h2, h3, h4 { line-height: 1.25; margin: 0 0 12px; }
    </mj-style>
  </mj-head>
  <mj-body background-color="#f2f2f2" width="600px">
    <mj-section background-color="#ffffff" padding="24px 0">
      <mj-column>
${bodyToMjml(body)}
      </mj-column>
    </mj-section>
    <mj-section padding="16px 0">
      <mj-column>
        <mj-text font-size="12px" line-height="1.4" color="#555555">${footerHtml(settings)}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

const TO_TEXT: HtmlToText.HtmlToTextOptions = {
  wordwrap: 78,
  selectors: [
    ...['h1', 'h2', 'h3', 'h4'].map((selector) => ({ selector, options: { uppercase: false } })),
    {
      selector: 'a',
      options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] as [string, string] },
    },
    { selector: 'img', format: 'skip' },
  ],
};

function toText(html: string): string {
  toTextLib ??= (requireLib('html-to-text') as typeof HtmlToText).compile(TO_TEXT);
  return toTextLib(html);
}

const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === '#39' ? "'" : ' ',
  );

/**
 * The plain-text part of the sanitised body. Placeholders are swapped for tokens without spaces
 * first, so line wrapping never cuts one apart, and put back with their fallback as plain text.
 */
function bodyText(body: string): string {
  const found: PlaceholderUse[] = [];
  const tokenised = body.replace(PLACEHOLDER, (_m, name: string, fallback?: string) => {
    found.push({ name, fallback: fallback === undefined ? null : decodeEntities(fallback.trim()) });
    return `\uE000${found.length - 1}\uE001`;
  });
  return toText(tokenised).replace(/\uE000(\d+)\uE001/g, (_m, i: string) => {
    const p = found[Number(i)];
    return p.fallback === null ? `{{${p.name}}}` : `{{${p.name}|${p.fallback}}}`;
  });
}

/**
 * Uploaded images (`/api/public/mail-images/<id>`, relative in the stored body so the app shows
 * them from its own origin) become `${PUBLIC_URL}/api/public/mail-images/<id>`: a mail program
 * has no origin to resolve a relative path against.
 */
export function absoluteImageUrls(sanitisedBody: string, publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return sanitisedBody.replace(
    UPLOADED_IMG_SRC,
    (_m, before: string, path: string) => `${before}${base}${path}`,
  );
}

const CACHE_SIZE = 50;
const cache = new Map<string, Promise<CompiledMailing>>();

/**
 * Lays a mailing out once (MJML → HTML, plain text) and returns the per-recipient renderer. Cached
 * per mailing, its `updatedAt` and the settings, so a worker sending 50,000 mails compiles once.
 */
export function compileMailing(mailing: MailingContent, settings: ComposeSettings): Promise<CompiledMailing> {
  const at = mailing.updatedAt instanceof Date ? mailing.updatedAt.toISOString() : mailing.updatedAt;
  const key = JSON.stringify([
    mailing.id,
    at,
    settings.footer,
    settings.orgName,
    settings.locale ?? 'de',
    settings.publicUrl,
  ]);
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compileUncached(mailing, settings);
  cache.set(key, compiled);
  compiled.catch(() => cache.delete(key));
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return compiled;
}

async function compileUncached(mailing: MailingContent, settings: ComposeSettings): Promise<CompiledMailing> {
  const body = absoluteImageUrls(sanitizeMailHtml(mailing.html), settings.publicUrl);
  const subject = oneLine(mailing.subject);
  mjmlLib ??= requireLib('mjml') as typeof Mjml;
  const { html } = await mjmlLib(layout(subject, body, settings), {
    validationLevel: 'soft',
    fonts: {},
    keepComments: false,
  });
  const locale = settings.locale ?? 'de';
  const text = `${bodyText(body)}\n\n-- \n${settings.footer.trim()}\n\n${UNSUBSCRIBE_TEXT[locale]}: {{unsubscribeUrl}}\n`;
  const content: CompiledContent = { subject, html, text };
  return placeholderRenderer(content);
}
