import { AttachmentWithDownload, MAX_ATTACHMENTS_PER_TASK, objectKey, type Attachment, type CreateAttachmentInput } from '../domain/attachment.js';
import { TaskNotFoundError } from '../domain/errors.js';
import type { BlobStore, PresignedRequest } from '../ports/blob-store.js';
import type { Logger } from '../ports/logger.js';
import { noMetrics } from '../ports/metrics.js';
import type { Precondition, TaskServiceDeps } from './tasks.js';

export interface AttachmentServiceDeps extends TaskServiceDeps {
  blobs: BlobStore;
  logger: Logger;
}

const UPLOAD_URL_SECONDS = 15 * 60;
const DOWNLOAD_URL_SECONDS = 15 * 60;

export type AttachmentService = ReturnType<typeof createAttachmentService>;

/**
 * The operations that touch attachment objects: the attachments' own, and deleting a task, which
 * deletes its attachments' objects too (Lambda: the attachments function, the one with an S3 client).
 */
export function createAttachmentService({ store, blobs, clock, ids, logger, metrics = noMetrics }: AttachmentServiceDeps) {
  /** Object deletion follows the committed record deletion; a failure only leaves an orphan object, so it is logged, not surfaced. */
  async function deleteObjectsQuietly(keys: string[]): Promise<void> {
    if (!keys.length) return;
    await blobs.deleteObjects(keys).catch((error) => logger.warn({ err: error, keys }, 'attachment objects not deleted'));
  }

  return {
    async deleteTask(tenant: string, id: string, precondition?: Precondition): Promise<void> {
      const { attachments } = await store.deleteTask(tenant, id, precondition);
      metrics.taskChanged('deleted');
      await deleteObjectsQuietly(attachments.map((attachment) => objectKey(tenant, id, attachment.id)));
    },

    async createAttachment(
      tenant: string,
      taskId: string,
      input: CreateAttachmentInput,
    ): Promise<{ attachment: Attachment; upload: PresignedRequest }> {
      const attachment: Attachment = { id: ids.next(), taskId, ...input, createdAt: clock.now().toISOString() };
      await store.addAttachment(tenant, attachment, MAX_ATTACHMENTS_PER_TASK);
      const upload = await blobs.presignPut(objectKey(tenant, taskId, attachment.id), {
        contentType: input.contentType,
        size: input.size,
        expiresInSeconds: UPLOAD_URL_SECONDS,
      });
      return { attachment, upload };
    },

    async listAttachments(tenant: string, taskId: string): Promise<AttachmentWithDownload[]> {
      const attachments = await store.listAttachments(tenant, taskId);
      if (!attachments) throw new TaskNotFoundError(`Task ${taskId} does not exist.`);
      return Promise.all(
        attachments.map(async (attachment) => {
          const download = await blobs.presignGet(objectKey(tenant, taskId, attachment.id), {
            filename: attachment.filename,
            expiresInSeconds: DOWNLOAD_URL_SECONDS,
          });
          return { ...attachment, downloadUrl: download.url, downloadExpiresAt: download.expiresAt.toISOString() };
        }),
      );
    },

    async deleteAttachment(tenant: string, taskId: string, attachmentId: string): Promise<void> {
      await store.deleteAttachment(tenant, taskId, attachmentId);
      await deleteObjectsQuietly([objectKey(tenant, taskId, attachmentId)]);
    },
  };
}
