import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { CreateTaskInput, ListTasksQuery, TaskPatch, type Task } from '../../domain/task.js';
import type { TaskService } from '../../use-cases/tasks.js';
import { readBody, readJson, validate } from '../body.js';
import { IdempotencyKey } from '../headers.js';
import { ifMatch, ifNoneMatchHits, singleQuery, taskIdParam } from '../request.js';
import { etag, json } from '../response.js';
import type { RouteHandlers } from '../specs.js';

const taskHeaders = (task: Task) => ({ etag: etag(task.version) });

export function taskHandlers(tasks: TaskService) {
  return {
    async createTask({ request, tenant }) {
      const raw = readJson(request);
      const input = validate(CreateTaskInput, raw, 'request body');
      const keyHeader = request.headers['idempotency-key'];
      const key = keyHeader === undefined ? undefined : validate(IdempotencyKey, keyHeader, 'Idempotency-Key header');
      const fingerprint = createHash('sha256').update(stringify(raw) ?? '').digest('base64url');
      const outcome = await tasks.createTask(tenant, input, key ? { key, fingerprint } : undefined);
      return json(201, outcome.task, {
        location: `/v1/tasks/${outcome.task.id}`,
        ...taskHeaders(outcome.task),
        ...(outcome.replayed && { 'idempotent-replayed': 'true' }),
      });
    },

    async listTasks({ request, tenant }) {
      const query = validate(ListTasksQuery, singleQuery(request), 'query');
      return json(200, await tasks.listTasks(tenant, query));
    },

    async getTask({ request, params, tenant }) {
      const task = await tasks.getTask(tenant, taskIdParam(params.id));
      if (ifNoneMatchHits(request, task.version)) return { status: 304, headers: taskHeaders(task) };
      return json(200, task, taskHeaders(task));
    },

    async patchTask({ request, params, tenant }) {
      const id = taskIdParam(params.id);
      const patch = readBody(request, TaskPatch, ['application/merge-patch+json', 'application/json']);
      const task = await tasks.patchTask(tenant, id, patch, ifMatch(request));
      return json(200, task, taskHeaders(task));
    },

    async getStats({ tenant }) {
      return json(200, await tasks.getStats(tenant));
    },
  } satisfies RouteHandlers;
}
