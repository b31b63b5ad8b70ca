import { AttachmentList, AttachmentUpload, CreateAttachmentInput } from '../../domain/attachment.js';
import { AttachmentNotFoundError } from '../../domain/errors.js';
import { Ulid } from '../../domain/task.js';
import type { TaskService } from '../../use-cases/tasks.js';
import { readBody } from '../body.js';
import { json, noContent, taskIdParam } from '../respond.js';
import type { Route } from '../types.js';
import { problemResponses } from './docs.js';

export function attachmentRoutes(tasks: TaskService): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/tasks/{id}/attachments',
      operationId: 'createAttachment',
      doc: {
        summary: 'Register an attachment and get a presigned S3 PUT URL for its bytes',
        body: CreateAttachmentInput,
        responses: {
          201: { description: 'Registered; upload the bytes with the given method, URL and headers', schema: AttachmentUpload },
          ...problemResponses(400, 404, 409, 413, 415),
        },
      },
      async handle({ request, params, tenant }) {
        const taskId = taskIdParam(params.id);
        const input = readBody(request, CreateAttachmentInput);
        const { attachment, upload } = await tasks.createAttachment(tenant, taskId, input);
        return json(
          201,
          { attachment, upload: { method: 'PUT', url: upload.url, headers: upload.headers, expiresAt: upload.expiresAt.toISOString() } },
          { location: `/v1/tasks/${taskId}/attachments/${attachment.id}` },
        );
      },
    },
    {
      method: 'GET',
      path: '/v1/tasks/{id}/attachments',
      operationId: 'listAttachments',
      doc: {
        summary: "List a task's attachments with presigned GET URLs",
        responses: { 200: { description: 'The attachments', schema: AttachmentList }, ...problemResponses(404) },
      },
      async handle({ params, tenant }) {
        return json(200, { items: await tasks.listAttachments(tenant, taskIdParam(params.id)) });
      },
    },
    {
      method: 'DELETE',
      path: '/v1/tasks/{id}/attachments/{attachmentId}',
      operationId: 'deleteAttachment',
      doc: { summary: 'Delete an attachment and its object', responses: { 204: { description: 'Deleted' }, ...problemResponses(404) } },
      async handle({ params, tenant }) {
        const taskId = taskIdParam(params.id);
        const attachmentId = params.attachmentId ?? '';
        if (!Ulid.safeParse(attachmentId).success) throw new AttachmentNotFoundError(`Attachment ${attachmentId} does not exist.`);
        await tasks.deleteAttachment(tenant, taskId, attachmentId);
        return noContent();
      },
    },
  ];
}

