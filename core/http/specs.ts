import * as z from 'zod';
import { READ_SCOPES, WRITE_SCOPES } from '../domain/scopes.js';
import { AttachmentList, AttachmentUpload, CreateAttachmentInput } from '../domain/attachment.js';
import { CreateTaskInput, ListTasksQuery, Task, TaskPage, TaskPatch, TaskStats } from '../domain/task.js';
import { lines } from '../domain/text.js';
import { LEGACY_MAX_LENGTH } from '../use-cases/legacy.js';
import { IdempotencyKey, IfMatchHeader } from './headers.js';
import { problemResponses } from './problem-docs.js';
import type { RouteHandle, RouteSpec } from './types.js';

export type { RouteSpec };

export const LegacyInput = z.strictObject({ data: lines(z.string().max(LEGACY_MAX_LENGTH)) }).meta({ id: 'LegacyInput' });
const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({ status: z.literal('ok'), checks: z.record(z.string(), z.string()) });

/**
 * The route table of the HTTP API: every operation, its method, path and documentation. The
 * handlers are bound per runtime (all of them in the container, one group per Lambda function);
 * routing, 404/405, who may call what, and the OpenAPI document all come from this one list.
 */
export const ROUTE_SPECS = [
  {
    method: 'GET',
    path: '/healthz',
    operationId: 'getHealth',
    doc: { summary: 'Liveness; touches no dependency', responses: { 200: { description: 'Alive', schema: Health } } },
  },
  {
    method: 'GET',
    path: '/readyz',
    operationId: 'getReadiness',
    doc: {
      summary: 'Readiness: the table and the bucket answer, and the server is not draining',
      responses: { 200: { description: 'Ready', schema: Readiness }, ...problemResponses(503) },
    },
  },
  {
    method: 'GET',
    path: '/config',
    operationId: 'getConfig',
    doc: { summary: 'Public runtime configuration: build, target, store, log level, token issuer and audience, CORS origins', responses: { 200: { description: 'Configuration' } } },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    doc: { summary: 'This OpenAPI 3.1 document', responses: { 200: { description: 'OpenAPI document' } } },
  },
  {
    method: 'GET',
    path: '/',
    operationId: 'getWebApp',
    doc: {
      summary: 'The web UI (HTML, no-cache with an ETag); with Accept: application/json, an index of links',
      responses: { 200: { description: 'The page, or the index' }, 304: { description: 'Not modified' } },
    },
  },
  {
    method: 'GET',
    path: '/assets/{name}',
    operationId: 'getAsset',
    doc: {
      summary: "A web UI asset, named by its content's hash (cached for a year, immutable)",
      responses: { 200: { description: 'The asset' }, ...problemResponses(404) },
    },
  },
  {
    method: 'POST',
    path: '/v1',
    operationId: 'legacyShout',
    doc: {
      summary: 'Legacy text endpoint: the data reversed and upper-cased',
      body: LegacyInput,
      responses: { 200: { description: 'The transformed text as a JSON string', schema: z.string() }, ...problemResponses(400, 413, 415) },
    },
  },
  {
    method: 'POST',
    path: '/v1/tasks',
    scopes: WRITE_SCOPES,
    operationId: 'createTask',
    doc: {
      summary: 'Create a task; honours Idempotency-Key',
      body: CreateTaskInput,
      headers: z.object({ 'idempotency-key': IdempotencyKey.optional() }),
      responses: { 201: { description: 'Created (or replayed)', schema: Task }, ...problemResponses(400, 413, 415, 422, 503) },
    },
  },
  {
    method: 'GET',
    path: '/v1/tasks',
    scopes: READ_SCOPES,
    operationId: 'listTasks',
    doc: {
      summary: 'List tasks, newest first; filter by status and tag; page with cursor',
      query: ListTasksQuery,
      responses: { 200: { description: 'A page of tasks', schema: TaskPage }, ...problemResponses(400, 503) },
    },
  },
  {
    method: 'GET',
    path: '/v1/tasks/{id}',
    scopes: READ_SCOPES,
    operationId: 'getTask',
    doc: {
      summary: 'Read one task',
      responses: { 200: { description: 'The task', schema: Task }, 304: { description: 'Not modified' }, ...problemResponses(404, 503) },
    },
  },
  {
    method: 'PATCH',
    path: '/v1/tasks/{id}',
    scopes: WRITE_SCOPES,
    operationId: 'patchTask',
    doc: {
      summary: 'Update a task with a JSON merge patch; If-Match honoured',
      body: TaskPatch,
      bodyContentType: 'application/merge-patch+json',
      headers: IfMatchHeader,
      responses: { 200: { description: 'The updated task', schema: Task }, ...problemResponses(400, 404, 409, 412, 413, 415, 503) },
    },
  },
  {
    method: 'DELETE',
    path: '/v1/tasks/{id}',
    scopes: WRITE_SCOPES,
    operationId: 'deleteTask',
    doc: {
      summary: "Delete a task and its attachments' objects; If-Match honoured",
      headers: IfMatchHeader,
      responses: { 204: { description: 'Deleted' }, ...problemResponses(404, 409, 412, 503) },
    },
  },
  {
    method: 'GET',
    path: '/v1/stats',
    scopes: READ_SCOPES,
    operationId: 'getStats',
    doc: { summary: "Task counts by status for the caller's tenant", responses: { 200: { description: 'Counts', schema: TaskStats } } },
  },
  {
    method: 'POST',
    path: '/v1/tasks/{id}/attachments',
    scopes: WRITE_SCOPES,
    operationId: 'createAttachment',
    doc: {
      summary: 'Register an attachment and get a presigned S3 PUT URL for its bytes',
      body: CreateAttachmentInput,
      responses: {
        201: { description: 'Registered; upload the bytes with the given method, URL and headers', schema: AttachmentUpload },
        ...problemResponses(400, 404, 409, 413, 415, 503),
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/tasks/{id}/attachments',
    scopes: READ_SCOPES,
    operationId: 'listAttachments',
    doc: {
      summary: "List a task's attachments with presigned GET URLs",
      responses: { 200: { description: 'The attachments', schema: AttachmentList }, ...problemResponses(404, 503) },
    },
  },
  {
    method: 'DELETE',
    path: '/v1/tasks/{id}/attachments/{attachmentId}',
    scopes: WRITE_SCOPES,
    operationId: 'deleteAttachment',
    doc: { summary: 'Delete an attachment and its object', responses: { 204: { description: 'Deleted' }, ...problemResponses(404, 503) } },
  },
] as const satisfies readonly RouteSpec[];

export type OperationId = (typeof ROUTE_SPECS)[number]['operationId'];

type SpecOf<Id extends OperationId> = Extract<(typeof ROUTE_SPECS)[number], { operationId: Id }>;
/** The tenant an operation's handler receives: a `string` where the table lists scopes (the caller was authenticated), else `null`. */
export type TenantOf<Id extends OperationId> = SpecOf<Id> extends { scopes: readonly string[] } ? string : null;

/** The operations a runtime serves: all of them in the container, one group per Lambda function. */
export type RouteHandlers = { [Id in OperationId]?: RouteHandle<TenantOf<Id>> };
