import { PreconditionFailedError, TaskNotFoundError, ConflictError } from '../domain/errors.js';
import { applyPatch, newTask, type CreateTaskInput, type Task, type TaskPatch } from '../domain/task.js';
import type { Clock } from '../ports/clock.js';
import type { Ids } from '../ports/ids.js';
import { noMetrics, type Metrics } from '../ports/metrics.js';
import type { CreateOutcome, ListQuery, TaskPage, TaskStore } from '../ports/task-store.js';

export interface TaskServiceDeps {
  store: TaskStore;
  clock: Clock;
  ids: Ids;
  metrics?: Metrics;
}

/** A client's If-Match: true when the stored version satisfies it. */
export type Precondition = (version: number) => boolean;

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const UNCONDITIONAL_PATCH_ATTEMPTS = 3;

export type TaskService = ReturnType<typeof createTaskService>;

/** The task operations that never touch attachment objects (Lambda: the tasks and stats functions, which carry no S3 client). */
export function createTaskService({ store, clock, ids, metrics = noMetrics }: TaskServiceDeps) {
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

    getStats(tenant: string) {
      return store.getStats(tenant);
    },
  };
}
