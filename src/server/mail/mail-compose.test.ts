import { describe, expect, it } from 'vitest';
import { compileMailing, findPlaceholders, sanitizeMailHtml, unknownPlaceholders } from './mail-compose.ts';

const vars = {
  firstName: 'Vera',
  lastName: 'Beispiel',
  email: 'vera@example.org',
  orgName: 'Kreis A1',
  unsubscribeUrl: 'https://draht.test/u/tok123',
};
const settings = {
  footer: 'Kreis A1\nMusterstraße 1\n01067 Dresden',
  orgName: 'Kreis A1',
  publicUrl: 'https://draht.test',
};
const IMAGE_ID = '0b6f6f7e-3c1a-4a8e-9d6b-1f2e3d4c5b6a';
let seq = 0;
const mailing = (html: string, subject = 'Hallo {{firstName}}', purpose = 'member_info' as const) => ({
  id: `m${++seq}`,
  updatedAt: new Date(),
  subject,
  html,
  purpose,
});

describe('sanitising', () => {
  const hostile = [
    '<script>alert(1)</script><p>ok</p>',
    '<p onclick="alert(1)">ok</p>',
    '<img src="https://x.test/a.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<svg onload="alert(1)"><p>ok</p></svg>',
    '<iframe src="https://evil.test"></iframe>',
    '<style>p{}</style><p style="background:url(javascript:alert(1))">ok</p>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="http://insecure.test/a.png">',
    '<a href="//evil.test">x</a>',
    '<object data="x"></object><embed src="x">',
    '<form action="https://evil.test"><input name="a"></form>',
    '<p><b onmouseover="alert(1)">b</b></p>',
    '<scr<script>ipt>alert(1)</script>',
    // Relative sources other than an uploaded image's path: nothing to resolve them against.
    '<img src="/api/people/1">',
    `<img src="/api/public/mail-images/${IMAGE_ID}/../../people">`,
    '<img src="/api/public/mail-images/not-a-uuid">',
    `<img src="//evil.test/api/public/mail-images/${IMAGE_ID}">`,
  ];
  it('never lets scripts, event handlers, styles or unsafe URLs through', () => {
    for (const html of hostile) {
      const out = sanitizeMailHtml(html);
      expect(out, html).not.toMatch(/<script|<style|<iframe|<svg|<object|<embed|<form|<input/i);
      expect(out, html).not.toMatch(/\son\w+=/i);
      expect(out, html).not.toMatch(/javascript:|style=|http:\/\/insecure|svg\+xml|href="\/\/|src="\//i);
    }
  });

  it('keeps the allowed formatting, links, images and buttons', () => {
    const html =
      '<h1>Titel</h1><h2>Unter</h2><p><strong>fett</strong> <em>kursiv</em> <u>u</u> <s>s</s></p>' +
      '<ul><li>a</li></ul><ol><li>b</li></ol><blockquote>z</blockquote><hr><p>a<br>b</p>' +
      '<p><a href="https://example.org/x?a=1&amp;b=2">Link</a> <a href="mailto:a@example.org">Mail</a></p>' +
      '<img src="https://example.org/a.png" alt="Bild" width="300">' +
      '<img src="data:image/png;base64,iVBORw0KGgo=" alt="klein">' +
      `<img src="/api/public/mail-images/${IMAGE_ID}" alt="Logo">` +
      '<p><a class="button" href="https://example.org/fest">Zum Fest</a></p>';
    const out = sanitizeMailHtml(html);
    for (const part of [
      '<h1>Titel</h1>',
      '<strong>fett</strong>',
      '<em>kursiv</em>',
      '<u>u</u>',
      '<s>s</s>',
      '<ul><li>a</li></ul>',
      '<blockquote>z</blockquote>',
      '<hr />',
      '<br />',
      'href="https://example.org/x?a=1&amp;b=2"',
      'href="mailto:a@example.org"',
      '<img src="https://example.org/a.png" alt="Bild" width="300" />',
      'src="data:image/png;base64,iVBORw0KGgo="',
      `<img src="/api/public/mail-images/${IMAGE_ID}" alt="Logo" />`,
      '<a href="https://example.org/fest" data-button>Zum Fest</a>',
    ])
      expect(out).toContain(part);
  });
});

describe('placeholders', () => {
  it('finds names and fallbacks, and names the unknown ones', () => {
    expect(findPlaceholders('Hallo {{ firstName | Freundin }} und {{lastName}}')).toEqual([
      { name: 'firstName', fallback: 'Freundin' },
      { name: 'lastName', fallback: null },
    ]);
    expect(
      unknownPlaceholders({
        subject: '{{vorname}}',
        html: '<p>{{firstName}} {{iban}} {{iban}}</p>',
        purpose: 'member_info',
      }),
    ).toEqual(['vorname', 'iban']);
    expect(unknownPlaceholders({ subject: '', html: '{{consentUrl}}', purpose: 'member_info' })).toEqual([
      'consentUrl',
    ]);
    expect(unknownPlaceholders({ subject: '', html: '{{consentUrl}}', purpose: 'consent_request' })).toEqual(
      [],
    );
  });
});

describe('compileMailing', () => {
  it('lays out responsive HTML with the footer and unsubscribe link, and a text part', async () => {
    const c = await compileMailing(
      mailing(
        '<h2>Sommerfest</h2><p>Hallo {{firstName|du}}, komm vorbei!</p><p><a data-button href="https://example.org/fest">Anmelden</a></p>',
      ),
      settings,
    );
    const r = c.render(vars);
    expect(r.subject).toBe('Hallo Vera');
    expect(r.html).toContain('<!doctype html>');
    expect(r.html).toContain('Hallo Vera, komm vorbei!');
    expect(r.html).toContain('Musterstraße 1');
    expect(r.html).toContain('href="https://draht.test/u/tok123"');
    expect(r.html).toMatch(/<a href="https:\/\/example.org\/fest"[^>]*style="[^"]*background/); // mj-button
    expect(r.html).not.toContain('{{');
    expect(r.html).not.toContain('fonts.googleapis');
    expect(r.text).toContain('Sommerfest');
    expect(r.text).toContain('Hallo Vera, komm vorbei!');
    expect(r.text).toContain('https://example.org/fest');
    expect(r.text).toContain('01067 Dresden');
    expect(r.text).toContain('https://draht.test/u/tok123');
    expect(r.text).not.toContain('{{');
  });

  it('escapes values in HTML, uses fallbacks, strips line breaks from the subject', async () => {
    const c = await compileMailing(
      mailing(
        '<p>Liebe {{firstName|Freundinnen und Freunde &amp; Genossinnen, die wir sehr lange nicht gesehen haben}} {{lastName}}, {{fullName}}</p>',
        'Für {{firstName|dich}} {{lastName}}',
      ),
      settings,
    );
    const evil = c.render({
      ...vars,
      firstName: '<img src=x onerror=alert(1)>',
      lastName: 'A\r\nBcc: x@evil.test',
    });
    expect(evil.html).not.toContain('<img src=x');
    expect(evil.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(evil.subject).not.toMatch(/[\r\n]/);
    const empty = c.render({ ...vars, firstName: '', lastName: '' });
    expect(empty.subject).toBe('Für dich');
    expect(empty.html).toContain('Freundinnen und Freunde &amp; Genossinnen');
    expect(empty.text).toContain('Freundinnen und Freunde & Genossinnen, die wir sehr lange nicht');
    expect(empty.text).not.toContain('{{');
  });

  it('fills the consent link of a consent request', async () => {
    const c = await compileMailing(
      mailing(
        '<p><a data-button href="{{consentUrl}}">Ja, gerne</a></p>',
        'Newsletter?',
        'consent_request' as never,
      ),
      settings,
    );
    const r = c.render({ ...vars, consentUrl: 'https://draht.test/c/abc' });
    expect(r.html).toContain('href="https://draht.test/c/abc"');
    expect(r.text).toContain('https://draht.test/c/abc');
  });

  it('makes uploaded images absolute with PUBLIC_URL, leaves https images and text alone', async () => {
    const html =
      `<p>Siehe /api/public/mail-images/${IMAGE_ID}</p><img src="/api/public/mail-images/${IMAGE_ID}" alt="Logo">` +
      '<img src="https://example.org/a.png" alt="Fremd">';
    const r = (await compileMailing(mailing(html), { ...settings, publicUrl: 'https://draht.test/' })).render(
      vars,
    );
    expect(r.html).toMatch(
      new RegExp(`<img [^>]*src="https://draht.test/api/public/mail-images/${IMAGE_ID}"`),
    );
    expect(r.html).toMatch(/<img [^>]*alt="Logo"/);
    expect(r.html).not.toMatch(/src="\/api\//);
    expect(r.html).toContain('src="https://example.org/a.png"');
    expect(r.html).toContain(`Siehe /api/public/mail-images/${IMAGE_ID}`);
    // Another PUBLIC_URL is another layout (cache key).
    const other = (
      await compileMailing(mailing(html), { ...settings, publicUrl: 'https://mail.partei.test' })
    ).render(vars);
    expect(other.html).toContain(`src="https://mail.partei.test/api/public/mail-images/${IMAGE_ID}"`);
  });

  it('compiles once per mailing version', async () => {
    const m = mailing('<p>x</p>');
    expect(compileMailing(m, settings)).toBe(compileMailing(m, settings));
    expect(compileMailing({ ...m, updatedAt: new Date(Date.now() + 1000) }, settings)).not.toBe(
      compileMailing(m, settings),
    );
  });
});
