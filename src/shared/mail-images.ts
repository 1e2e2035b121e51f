import { z } from 'zod';
import { IsoDate } from './common.ts';

/** Images in mailings: uploaded per unit, served publicly so mail programs can load them. */

/** The largest image a unit may upload (bytes): 2 MB. */
export const MAIL_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
export const MAIL_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type MailImageType = (typeof MAIL_IMAGE_TYPES)[number];

/** Where the app and mail bodies point at an image (relative; made absolute when a mail is laid out). */
export const MAIL_IMAGE_PATH = '/api/public/mail-images/';
export const mailImagePath = (id: string) => `${MAIL_IMAGE_PATH}${id}`;

/** The answer to an upload: the id and the relative URL to put into `<img src>`. */
export const MailImageCreated = z.object({ id: z.uuid(), url: z.string() });

export const MailImage = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  url: z.string(),
  contentType: z.enum(MAIL_IMAGE_TYPES),
  byteSize: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  createdAt: IsoDate,
});

export const MailImageListQuery = z.strictObject({
  orgId: z.uuid(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
