import * as z from 'zod';
import { Ulid } from './task.js';
import { tenantSegment } from './tenant.js';
import { line } from './text.js';

/** A single presigned PUT can carry at most 5 GiB (S3's limit for one PutObject). */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 ** 3;
export const MAX_ATTACHMENTS_PER_TASK = 50;

const Filename = z
  .string()
  .min(1)
  .max(255)
  // Control, format (e.g. right-to-left override) and line-separator characters disguise names.
  .refine((name) => !/[/\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name) && name !== '.' && name !== '..', {
    message: 'must not contain slashes or control characters',
  });
const ContentType = z
  .string()
  .max(255)
  .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'must be a MIME type such as image/png');

export const CreateAttachmentInput = z
  .strictObject({
    filename: line(Filename),
    contentType: ContentType,
    size: z.int().min(0).max(MAX_ATTACHMENT_BYTES),
  })
  .meta({ id: 'CreateAttachmentInput' });
export type CreateAttachmentInput = z.infer<typeof CreateAttachmentInput>;

export const Attachment = z
  .strictObject({
    id: Ulid,
    taskId: Ulid,
    filename: Filename,
    contentType: ContentType,
    size: z.int().min(0),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof Attachment>;

export const AttachmentUpload = z
  .strictObject({
    attachment: Attachment,
    upload: z.strictObject({
      method: z.literal('PUT'),
      url: z.url(),
      headers: z.record(z.string(), z.string()),
      expiresAt: z.iso.datetime(),
    }),
  })
  .meta({ id: 'AttachmentUpload' });

export type AttachmentWithDownload = z.infer<typeof AttachmentWithDownload>;
export const AttachmentWithDownload = Attachment.extend({
  downloadUrl: z.url(),
  downloadExpiresAt: z.iso.datetime(),
}).meta({ id: 'AttachmentWithDownload' });

export const AttachmentList = z
  .strictObject({ items: z.array(AttachmentWithDownload) })
  .meta({ id: 'AttachmentList' });

/** Where an attachment's bytes live; the tenant is escaped (tenantSegment), so a key never leaves `tenants/<tenant>/`. */
export function objectKey(tenant: string, taskId: string, attachmentId: string): string {
  return `tenants/${tenantSegment(tenant)}/tasks/${taskId}/${attachmentId}`;
}
