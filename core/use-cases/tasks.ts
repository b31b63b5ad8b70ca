import { AttachmentWithDownload, MAX_ATTACHMENTS_PER_TASK, objectKey, type Attachment, type CreateAttachmentInput } from '../domain/attachment.js';
import { PreconditionFailedError, TaskNotFoundError, ConflictError } from '../domain/errors.js';
import { applyPatch, newTask, type CreateTaskInput, type Task, type TaskPatch } from '../domain/task.js';
import type { BlobStore, PresignedRequest } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Ids } from '../ports/ids.js';
import type { Logger } from '../ports/logger.js';
import { noMetrics, type Metrics } from '../ports/metrics.js';
import type { CreateOutcome, ListQuery, TaskPage, TaskStore } from '../ports/task-store.js';

export interface TaskServiceDeps {
  store: TaskStore;
  blobs: BlobStore;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  metrics?: Metrics;
}

/** A client's If-Match: true when the stored version satisfies it. */
export type Precondition = (version: number) => boolean;

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const UPLOAD_URL_SECONDS = 15 * 60;
const DOWNLOAD_URL_SECONDS = 15 * 60;
const UNCONDITIONAL_PATCH_ATTEMPTS = 3;

export type TaskService = ReturnType<typeof createTaskService>;

export function createTaskService({ store, blobs, clock, ids, logger, metrics = noMetrics }: TaskServiceDeps) {
  /** Object deletion follows the committed record deletion; a failure only leaves an orphan object, so it is logged, not surfaced. */
  async function deleteObjectsQuietly(keys: string[]): Promise<void> {
    if (!keys.length) return;
    await blobs.deleteObjects(keys).catch((error) => logger.warn({ err: error, keys }, 'attachment objects not deleted'));
  }

  async function getTask(tenant: string, id: string): Promise<Task> {
    const task = await store.getTask(tenant, id);
    if (!task) throw new TaskNotFoundError(`Task ${id} does not exist.`);
    return task;
  }

  return {
    getTask,

    async createTask(tenant: string, input: CreateTaskInput, idempotency?: { key: string; fingerprint: string }): Promise<CreateOutcome> {
      const now = clock.now();
      const task = newTask(input, ids.next(), now);
      const claim = idempotency && { ...idempotency, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) };
      const outcome = await store.createTask(tenant, task, claim);
      if (!outcome.replayed) metrics.taskChanged('created');
      return outcome;
    },

    listTasks(tenant: string, query: ListQuery): Promise<TaskPage> {
      return store.listTasks(tenant, query);
    },

    /** Applies a merge patch. With a precondition a lost race is a 412; without one the patch is re-applied to the newer version. */
    async patchTask(tenant: string, id: string, patch: TaskPatch, precondition?: Precondition): Promise<Task> {
      for (let attempt = 1; ; attempt++) {
        const current = await getTask(tenant, id);
        if (precondition && !precondition(current.version)) throw new PreconditionFailedError(`Task ${id} is at version ${current.version}.`);
        try {
          const updated = await store.updateTask(tenant, applyPatch(current, patch, clock.now()), current);
          metrics.taskChanged('updated');
          return updated;
        } catch (error) {
          if (!(error instanceof PreconditionFailedError) || precondition) throw error;
          if (attempt >= UNCONDITIONAL_PATCH_ATTEMPTS) throw new ConflictError(`Task ${id} kept changing; retry the request.`);
        }
      }
    },

    async deleteTask(tenant: string, id: string, precondition?: Precondition): Promise<void> {
      const { attachments } = await store.deleteTask(tenant, id, precondition);
      metrics.taskChanged('deleted');
      await deleteObjectsQuietly(attachments.map((attachment) => objectKey(tenant, id, attachment.id)));
    },

    getStats(tenant: string) {
      return store.getStats(tenant);
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
