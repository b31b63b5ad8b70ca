import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import { CreateTaskInput, ListTasksQuery, Task, TaskPage, TaskPatch, TaskStats } from '../../domain/task.js';
import type { TaskService } from '../../use-cases/tasks.js';
import { readJson, validate, readBody } from '../body.js';
import { etag, IdempotencyKey, ifMatch, ifNoneMatchHits, json, noContent, singleQuery, taskIdParam } from '../respond.js';
import type { Route } from '../types.js';
import { problemResponses } from './docs.js';

const taskHeaders = (task: Task) => ({ etag: etag(task.version) });

export function taskRoutes(tasks: TaskService): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/tasks',
      operationId: 'createTask',
      doc: {
        summary: 'Create a task; honours Idempotency-Key',
        body: CreateTaskInput,
        headers: z.object({ 'idempotency-key': IdempotencyKey.optional() }),
        responses: { 201: { description: 'Created (or replayed)', schema: Task }, ...problemResponses(400, 413, 415, 422) },
      },
      async handle({ request, tenant }) {
        const raw = readJson(request);
        const input = validate(CreateTaskInput, raw, 'request body');
        const keyHeader = request.headers['idempotency-key'];
        const key = keyHeader === undefined ? undefined : validate(IdempotencyKey, keyHeader, 'Idempotency-Key header');
        const fingerprint = key && createHash('sha256').update(stringify(raw) ?? '').digest('base64url');
        const outcome = await tasks.createTask(tenant, input, key && fingerprint ? { key, fingerprint } : undefined);
        return json(201, outcome.task, {
          location: `/v1/tasks/${outcome.task.id}`,
          ...taskHeaders(outcome.task),
          ...(outcome.replayed && { 'idempotent-replayed': 'true' }),
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/tasks',
      operationId: 'listTasks',
      doc: {
        summary: 'List tasks, newest first; filter by status and tag; page with cursor',
        query: ListTasksQuery,
        responses: { 200: { description: 'A page of tasks', schema: TaskPage }, ...problemResponses(400) },
      },
      async handle({ request, tenant }) {
        const query = validate(ListTasksQuery, singleQuery(request), 'query');
        return json(200, await tasks.listTasks(tenant, query));
      },
    },
    {
      method: 'GET',
      path: '/v1/tasks/{id}',
      operationId: 'getTask',
      doc: {
        summary: 'Read one task',
        responses: { 200: { description: 'The task', schema: Task }, 304: { description: 'Not modified' }, ...problemResponses(404) },
      },
      async handle({ request, params, tenant }) {
        const task = await tasks.getTask(tenant, taskIdParam(params.id));
        if (ifNoneMatchHits(request, task.version)) return { status: 304, headers: taskHeaders(task) };
        return json(200, task, taskHeaders(task));
      },
    },
    {
      method: 'PATCH',
      path: '/v1/tasks/{id}',
      operationId: 'patchTask',
      doc: {
        summary: 'Update a task with a JSON merge patch; If-Match honoured',
        body: TaskPatch,
        bodyContentType: 'application/merge-patch+json',
        headers: z.object({ 'if-match': z.string().optional() }),
        responses: { 200: { description: 'The updated task', schema: Task }, ...problemResponses(400, 404, 409, 412, 413, 415) },
      },
      async handle({ request, params, tenant }) {
        const id = taskIdParam(params.id);
        const patch = readBody(request, TaskPatch, ['application/merge-patch+json', 'application/json']);
        const task = await tasks.patchTask(tenant, id, patch, ifMatch(request));
        return json(200, task, taskHeaders(task));
      },
    },
    {
      method: 'DELETE',
      path: '/v1/tasks/{id}',
      operationId: 'deleteTask',
      doc: {
        summary: "Delete a task and its attachments' objects; If-Match honoured",
        headers: z.object({ 'if-match': z.string().optional() }),
        responses: { 204: { description: 'Deleted' }, ...problemResponses(404, 409, 412) },
      },
      async handle({ request, params, tenant }) {
        await tasks.deleteTask(tenant, taskIdParam(params.id), ifMatch(request));
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/v1/stats',
      operationId: 'getStats',
      doc: { summary: "Task counts by status for the caller's tenant", responses: { 200: { description: 'Counts', schema: TaskStats } } },
      async handle({ tenant }) {
        return json(200, await tasks.getStats(tenant));
      },
    },
  ];
}
