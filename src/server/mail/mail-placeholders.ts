/**
 * Filling in a mailing's placeholders `{{name}}` / `{{name|Fallback}}` per recipient — all the
 * delivery worker needs: the laid-out content (mail-compose.ts) is frozen on the mailing when
 * sending starts (`compiled_subject/html/text`), so the worker never loads MJML or the sanitiser.
 * Values are HTML-escaped in the HTML part, taken as they are in the text part, and line breaks
 * are stripped from the subject.
 */

export const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:\|([^{}]*?))?\s*\}\}/g;

export interface PlaceholderUse {
  name: string;
  fallback: string | null;
}

export function findPlaceholders(text: string): PlaceholderUse[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1], fallback: m[2]?.trim() ?? null }));
}

/** What the worker knows of one recipient. */
export interface RecipientVars {
  firstName: string;
  lastName: string;
  email: string;
  orgName: string;
  unsubscribeUrl: string;
  /** Consent requests only: the personal link that grants the newsletter consent. */
  consentUrl?: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** A mailing laid out, placeholders still in it (the frozen `compiled_*` columns). */
export interface CompiledContent {
  subject: string;
  html: string;
  text: string;
}

/** A mailing laid out once; `render` fills in one recipient. */
export interface CompiledMailing {
  /** The laid-out parts with the placeholders, as frozen at the start of sending. */
  content: CompiledContent;
  render(vars: RecipientVars): RenderedMail;
}

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
export const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

function placeholderValue(vars: RecipientVars, name: string): string {
  if (name === 'fullName') return `${vars.firstName} ${vars.lastName}`.trim();
  const v = (vars as unknown as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

type Part = string | PlaceholderUse;

/** A template cut into literal text and placeholders once, so a render is a join. */
function parts(template: string): Part[] {
  const out: Part[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    out.push(template.slice(last, m.index));
    out.push({ name: m[1], fallback: m[2]?.trim() ?? null });
    last = (m.index ?? 0) + m[0].length;
  }
  out.push(template.slice(last));
  return out;
}

/**
 * Fills a template. `escape` applies to values (in HTML); a fallback is taken as written in the
 * template (in the HTML part it is already escaped text of the sanitised body).
 */
function fill(tpl: Part[], vars: RecipientVars, escapeValue: (s: string) => string): string {
  let s = '';
  for (const p of tpl) {
    if (typeof p === 'string') s += p;
    else {
      const v = placeholderValue(vars, p.name);
      s += v ? escapeValue(v) : (p.fallback ?? '');
    }
  }
  return s;
}

/** The per-recipient renderer of laid-out content (templates are cut into parts once). */
export function placeholderRenderer(content: CompiledContent): CompiledMailing {
  const tpl = { subject: parts(content.subject), html: parts(content.html), text: parts(content.text) };
  return {
    content,
    render: (vars) => ({
      subject: oneLine(fill(tpl.subject, vars, oneLine)).trim(),
      html: fill(tpl.html, vars, escapeHtml),
      text: fill(tpl.text, vars, (s) => s),
    }),
  };
}
