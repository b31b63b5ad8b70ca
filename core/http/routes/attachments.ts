import { CreateAttachmentInput } from '../../domain/attachment.js';
import { AttachmentNotFoundError } from '../../domain/errors.js';
import { Ulid } from '../../domain/task.js';
import type { AttachmentService } from '../../use-cases/attachments.js';
import { readBody } from '../body.js';
import { ifMatch, taskIdParam } from '../request.js';
import { json, noContent } from '../response.js';
import type { RouteHandlers } from '../specs.js';

/** The attachment routes, and DELETE of a task: it deletes the task's attachment objects too. */
export function attachmentHandlers(attachments: AttachmentService) {
  return {
    async deleteTask({ request, params, tenant }) {
      await attachments.deleteTask(tenant, taskIdParam(params.id), ifMatch(request));
      return noContent();
    },

    async createAttachment({ request, params, tenant }) {
      const taskId = taskIdParam(params.id);
      const input = readBody(request, CreateAttachmentInput);
      const { attachment, upload } = await attachments.createAttachment(tenant, taskId, input);
      return json(
        201,
        { attachment, upload: { method: 'PUT', url: upload.url, headers: upload.headers, expiresAt: upload.expiresAt.toISOString() } },
        { location: `/v1/tasks/${taskId}/attachments/${attachment.id}` },
      );
    },

    async listAttachments({ params, tenant }) {
      return json(200, { items: await attachments.listAttachments(tenant, taskIdParam(params.id)) });
    },

    async deleteAttachment({ params, tenant }) {
      const taskId = taskIdParam(params.id);
      const attachmentId = params.attachmentId ?? '';
      if (!Ulid.safeParse(attachmentId).success) throw new AttachmentNotFoundError(`Attachment ${attachmentId} does not exist.`);
      await attachments.deleteAttachment(tenant, taskId, attachmentId);
      return noContent();
    },
  } satisfies RouteHandlers;
}
