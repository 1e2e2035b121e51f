import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import { MAIL_IMAGE_MAX_BYTES } from '../../shared/mail-images.ts';
import { detectImage } from './mail-images.service.ts';

/**
 * Images in mailings: upload (type by magic bytes, 2 MB), the unit's list, delete, and the public
 * endpoint mail programs load them from (bytes as stored, cached for a year, nothing runnable).
 */

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;
let organizerA2: Client;
let caller: Client;

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
);
const HTML = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');

function multipart(file: Buffer, filename = 'bild.png', type = 'image/png') {
  const boundary = 'mailimageboundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = (by: Client, orgId: string, file: Buffer, filename?: string, type?: string) =>
  by.request({ method: 'POST', url: `/api/mail/images?orgId=${orgId}`, ...multipart(file, filename, type) });

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  organizerA2 = await loginAs(t, 'organizer', orgs.kreisA2);
  caller = await loginAs(t, 'caller', orgs.kreisA1);
});
afterAll(() => t.close());

describe('mail images', () => {
  it('an uploaded PNG is served publicly with identical bytes, its type and the cache and safety headers', async () => {
    const res = await upload(organizer, orgs.kreisA1, PNG);
    expect(res.statusCode, res.body).toBe(201);
    const { id, url } = res.json();
    expect(url).toBe(`/api/public/mail-images/${id}`);

    const pub = await t.app.inject({ method: 'GET', url });
    expect(pub.statusCode).toBe(200);
    expect(pub.rawPayload.equals(PNG)).toBe(true);
    expect(pub.headers['content-type']).toBe('image/png');
    expect(pub.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(pub.headers['x-content-type-options']).toBe('nosniff');
    expect(pub.headers['content-security-policy']).toBe("default-src 'none'");
    expect(pub.headers['cross-origin-resource-policy']).toBe('cross-origin');

    // The same bytes again: the same image (one row per unit and content), answered 200.
    const again = await upload(organizer, orgs.kreisA1, PNG, 'noch-mal.png');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().id).toBe(id);

    const list = await organizer.get(`/api/mail/images?orgId=${orgs.kreisA1}`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id,
        url,
        contentType: 'image/png',
        byteSize: PNG.length,
        width: 1,
        height: 1,
      }),
    ]);
  });

  it('refuses SVG and HTML disguised as PNG, by their bytes', async () => {
    for (const file of [SVG, HTML]) {
      const res = await upload(organizer, orgs.kreisA1, file, 'harmlos.png', 'image/png');
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.details[0].reason).toBe('image_type_not_allowed');
      expect(res.json().error.message).toMatch(/PNG, JPEG, GIF and WebP/);
    }
    const svg = await upload(organizer, orgs.kreisA1, SVG, 'logo.svg', 'image/svg+xml');
    expect(svg.statusCode).toBe(422);
  });

  it('refuses a file above 2 MB with 413, an empty or missing file and JSON with 400', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAIL_IMAGE_MAX_BYTES)]);
    const res = await upload(organizer, orgs.kreisA1, big);
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'payload_too_large',
      message: 'The image is larger than 2 MB.',
    });

    expect((await upload(organizer, orgs.kreisA1, Buffer.alloc(0))).statusCode).toBe(400);
    const json = await organizer.post(`/api/mail/images?orgId=${orgs.kreisA1}`, { file: 'x' });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.details[0].reason).toBe('multipart_required');
  });

  it("another Kreis's organizer gets 404 for the unit's list, upload and delete; callers 403; anonymous 401", async () => {
    const { id } = (await upload(organizer, orgs.kreisA1, Buffer.concat([PNG, Buffer.from('x')]))).json();
    expect((await organizerA2.get(`/api/mail/images?orgId=${orgs.kreisA1}`)).statusCode).toBe(404);
    expect((await upload(organizerA2, orgs.kreisA1, PNG)).statusCode).toBe(404);
    const foreign = await organizerA2.delete(`/api/mail/images/${id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
    expect((await caller.get(`/api/mail/images?orgId=${orgs.kreisA1}`)).statusCode).toBe(403);

    const anonymous = await t.app.inject({
      method: 'POST',
      url: `/api/mail/images?orgId=${orgs.kreisA1}`,
      ...multipart(PNG),
    });
    expect(anonymous.statusCode).toBe(401);

    // Its own unit deletes it; then the public URL is a 404 in the error shape.
    expect((await organizer.delete(`/api/mail/images/${id}`)).statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: `/api/public/mail-images/${id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
    expect(gone.headers['cache-control']).toBe('no-store');
    expect((await organizer.delete(`/api/mail/images/${id}`)).statusCode).toBe(404);
  });

  it('recognises the four types and their size by the first bytes', () => {
    const gif = Buffer.from([...Buffer.from('GIF89a'), 0x20, 0x01, 0x40, 0x00, 0, 0]);
    expect(detectImage(gif)).toEqual({ contentType: 'image/gif', width: 288, height: 64 });
    // JPEG: SOI, an APP0 segment, then SOF0 with height 480 and width 640.
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80,
      0x03,
    ]);
    expect(detectImage(jpeg)).toEqual({ contentType: 'image/jpeg', width: 640, height: 480 });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0);
    webp.write('WEBP', 8);
    webp.write('VP8X', 12);
    webp.writeUIntLE(799, 24, 3);
    webp.writeUIntLE(599, 27, 3);
    expect(detectImage(webp)).toEqual({ contentType: 'image/webp', width: 800, height: 600 });
    expect(detectImage(PNG)).toEqual({ contentType: 'image/png', width: 1, height: 1 });
    expect(detectImage(SVG)).toBeNull();
    expect(detectImage(Buffer.from('%PDF-1.7'))).toBeNull();
  });
});
