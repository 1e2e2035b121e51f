import { createHash } from 'node:crypto';
import { MAIL_IMAGE_MAX_BYTES, type MailImageType, mailImagePath } from '../../shared/mail-images.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import * as repo from './mail-images.repo.ts';

/**
 * Images in mailings. A unit uploads PNG, JPEG, GIF or WebP files (recognised by their first bytes,
 * never by the name or the declared type; SVG can carry scripts and is refused) of at most 2 MB;
 * they are stored in the database, once per unit and content, and served publicly at
 * `/api/public/mail-images/:id` (mail-images.public.ts) so that mail programs can load them.
 */

export interface DetectedImage {
  contentType: MailImageType;
  width: number | null;
  height: number | null;
}

const startsWith = (b: Uint8Array, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);
const ascii = (b: Uint8Array, at: number, s: string) =>
  startsWith(
    b,
    [...s].map((c) => c.charCodeAt(0)),
    at,
  );
const be16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const le16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const le24 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const be32 = (b: Uint8Array, at: number) =>
  ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
/** A plausible pixel size, else unknown (the header lied or we read it wrong: never trust it further). */
const size = (w: number, h: number) =>
  w > 0 && h > 0 && w <= 65_535 && h <= 65_535 ? { width: w, height: h } : { width: null, height: null };

/** Width and height from a JPEG's first start-of-frame segment. */
function jpegSize(b: Uint8Array) {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return size(0, 0);
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = be16(b, at + 2);
    // SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return size(be16(b, at + 7), be16(b, at + 5));
    at += 2 + length;
  }
  return size(0, 0);
}

function webpSize(b: Uint8Array) {
  if (ascii(b, 12, 'VP8 ') && b.length >= 30) return size(le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  if (ascii(b, 12, 'VP8L') && b.length >= 25) {
    const w = 1 + (b[21] | ((b[22] & 0x3f) << 8));
    const h = 1 + ((b[22] >> 6) | (b[23] << 2) | ((b[24] & 0x0f) << 10));
    return size(w, h);
  }
  if (ascii(b, 12, 'VP8X') && b.length >= 30) return size(1 + le24(b, 24), 1 + le24(b, 27));
  return size(0, 0);
}

/**
 * The image type by its magic bytes (and its pixel size where the header gives it cheaply), or
 * null for anything else — SVG, HTML, PDF, a renamed text file.
 */
export function detectImage(b: Uint8Array): DetectedImage | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && b.length >= 24)
    return { contentType: 'image/png', ...size(be32(b, 16), be32(b, 20)) };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { contentType: 'image/jpeg', ...jpegSize(b) };
  if ((ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) && b.length >= 10)
    return { contentType: 'image/gif', ...size(le16(b, 6), le16(b, 8)) };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') && b.length >= 16)
    return { contentType: 'image/webp', ...webpSize(b) };
  return null;
}

export const imageTooLarge = () =>
  new AppError('payload_too_large', 'The image is larger than 2 MB.', [
    { path: 'body.file', message: 'at most 2 MB', reason: 'image_too_large' },
  ]);

/** The actor may send mail for the image's unit, else 404 (unknown and out of scope alike). */
async function requireImage(ctx: Ctx, id: string) {
  const image = await repo.findImageMeta(ctx.db, id);
  if (!image) throw notFound();
  try {
    await requireOrgPermission(ctx, image.orgId, 'mail:send');
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') throw notFound();
    throw err;
  }
  return image;
}

/**
 * Stores an uploaded image for the unit. `readFile` is called only after the permission check and
 * answers the file's bytes (null without a file; it throws `imageTooLarge` above the limit).
 */
export async function uploadMailImage(
  ctx: Ctx,
  orgId: string,
  readFile: () => Promise<Uint8Array | null>,
): Promise<{ id: string; url: string; created: boolean }> {
  await requireOrgPermission(ctx, orgId, 'mail:send');
  const bytes = await readFile();
  if (!bytes || bytes.length === 0) {
    throw new AppError('validation_failed', 'Send the image as multipart/form-data with a field file.', [
      { path: 'body.file', message: 'an image file is required', reason: 'file_missing' },
    ]);
  }
  if (bytes.length > MAIL_IMAGE_MAX_BYTES) throw imageTooLarge();
  const detected = detectImage(bytes);
  if (!detected) {
    throw new AppError('rule_violation', 'Only PNG, JPEG, GIF and WebP images can be used in mails.', [
      {
        path: 'body.file',
        message: 'the file is not a PNG, JPEG, GIF or WebP image (SVG is not allowed)',
        reason: 'image_type_not_allowed',
      },
    ]);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { id, created } = await repo.insertImageOnce(ctx.db, {
    orgId,
    ...detected,
    bytes,
    byteSize: bytes.length,
    sha256,
    createdBy: ctx.actor.userId,
  });
  if (created) await audit.record(ctx, 'mail.image_uploaded', { type: 'mail_image', id, orgId });
  return { id, url: mailImagePath(id), created };
}

export async function listMailImages(ctx: Ctx, orgId: string, limit: number) {
  await requireOrgPermission(ctx, orgId, 'mail:send');
  const rows = await repo.listImages(ctx.db, orgId, limit);
  return {
    items: rows.map((r) => ({ ...r, url: mailImagePath(r.id), createdAt: r.createdAt.toISOString() })),
    nextCursor: null,
  };
}

/** Deletes an image; mails already sent show it no longer (their mail programs get a 404). */
export async function deleteMailImage(ctx: Ctx, id: string) {
  const image = await requireImage(ctx, id);
  await repo.deleteImage(ctx.db, id);
  await audit.record(ctx, 'mail.image_deleted', { type: 'mail_image', id, orgId: image.orgId });
}

/** For the public endpoint: the bytes and their type, or 404. */
export async function readPublicMailImage(ctx: Pick<Ctx, 'db'>, id: string) {
  const image = await repo.findImageBytes(ctx.db, id);
  if (!image) throw notFound();
  const bytes = image.bytes instanceof Uint8Array ? image.bytes : new Uint8Array(image.bytes as ArrayBuffer);
  return {
    contentType: image.contentType,
    bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}
