import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, serverAndBrowser } from './server.ts';

/**
 * Issue 13, "a lean web app" and public pages: the built files (dist/web, built by the global
 * setup) are served precompressed with the right caching, and `/p/…` gets the small public entry.
 */
const e2e = serverAndBrowser({ beforeAll, afterAll });
const DIST = path.resolve('dist/web');

/** A raw GET (no automatic decompression, unlike fetch). */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        })
        .on('error', reject);
    },
  );
}

/** The app's entry script, as index.html names it (a content-hashed file under /assets/). */
function entryScript(): string {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const src = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!src) throw new Error(`no entry script in index.html:\n${html}`);
  return src;
}

describe('built assets', () => {
  it('a hashed script is sent brotli- or gzip-compressed as asked, cached for a year as immutable', async () => {
    const script = entryScript();
    const original = fs.readFileSync(path.join(DIST, script));
    const br = await get(`${e2e.server.url}${script}`, { 'accept-encoding': 'br, gzip' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.body.length).toBeLessThan(original.length / 2);
    expect(zlib.brotliDecompressSync(br.body).equals(original)).toBe(true);

    const gz = await get(`${e2e.server.url}${script}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.gunzipSync(gz.body).equals(original)).toBe(true);

    const plain = await get(`${e2e.server.url}${script}`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it('the stylesheet is compressed too; the HTML pages are revalidated on every load', async () => {
    const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(css).toBeDefined();
    const style = await get(`${e2e.server.url}${css}`, { 'accept-encoding': 'br' });
    expect(style.headers['content-encoding']).toBe('br');
    expect(style.headers['cache-control']).toContain('immutable');

    for (const page of ['/', '/calls', '/index.html', '/p/invalid-link']) {
      const res = await get(`${e2e.server.url}${page}`, { 'accept-encoding': 'br, gzip' });
      expect(res.status, page).toBe(200);
      expect(res.headers['cache-control'], page).toBe('no-cache');
    }
  });

  it('/p/… is the public entry, everything else the app', async () => {
    const publicPage = (await get(`${e2e.server.url}/p/invalid-link`)).body.toString();
    const appPage = (await get(`${e2e.server.url}/calls`)).body.toString();
    expect(publicPage).toBe(fs.readFileSync(path.join(DIST, 'public.html'), 'utf8'));
    expect(appPage).toBe(fs.readFileSync(path.join(DIST, 'index.html'), 'utf8'));
    expect(publicPage).not.toContain('shell-');
  });
});

describe('public pages', () => {
  it('speak the browser language, switch languages, load < 60 KB gzip of JS and nothing from other servers or the app', async () => {
    const page = await newPage(e2e.browser, { locale: 'de-DE', viewport: { width: 390, height: 844 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const scripts = new Set<string>();
    let scriptBytes = 0;
    cdp.on('Network.responseReceived', (event) => {
      if (event.type === 'Script') scripts.add(event.requestId);
    });
    cdp.on('Network.loadingFinished', (event) => {
      if (scripts.has(event.requestId)) scriptBytes += event.encodedDataLength;
    });
    await page.goto(`${e2e.server.url}/p/invalid-link`);
    await page.getByRole('heading', { name: 'Link nicht gültig' }).waitFor();
    expect(await page.getByTestId('public-invalid-link').textContent()).toContain('abgelaufen');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await page.waitForLoadState('networkidle');
    expect(scripts.size).toBeGreaterThan(0);
    expect(scriptBytes).toBeLessThan(60 * 1024);
    const origin = new URL(e2e.server.url).origin;
    expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    // No login bundle, no session check: nothing of the signed-in app.
    expect(requests.filter((url) => url.includes('/api/') || /\/assets\/(shell|ui|app)-/.test(url))).toEqual(
      [],
    );

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Link not valid' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    // The choice is remembered in this browser.
    await page.reload();
    await page.getByRole('heading', { name: 'Link not valid' }).waitFor();
    await page.context().close();

    const english = await newPage(e2e.browser, { locale: 'en-US' });
    await english.goto(`${e2e.server.url}/p/no-such-page`);
    await english.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await english.getByTestId('public-not-found').isVisible()).toBe(true);
    await english.context().close();
  });
});
