import type { Chooser, OperationKind, Workload } from './workload.js';

/** One request the generator sends, and what it learns from the answer. */
export interface PlannedRequest {
  operation: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Reads what later requests need (new ids, versions) from the response. */
  learn?(status: number, body: string, headers: Record<string, string | string[] | undefined>): void;
}

interface KnownTask {
  id: string;
  version: number;
}

const STATUSES = ['todo', 'in_progress', 'done'] as const;
const TAGS = ['home', 'work', 'urgent', 'later'] as const;
const PRIORITIES = ['low', 'medium', 'high'] as const;
const JSON_TYPE = { 'content-type': 'application/json' };

/** A task as the seeding and the create operation make it: the n-th is the same in every run. */
export function taskBody(n: number): string {
  return JSON.stringify({
    title: `Compare task ${n}`,
    description: `Created by npm run compare (${n}).`,
    priority: PRIORITIES[n % PRIORITIES.length],
    tags: [TAGS[n % TAGS.length], ...(n % 3 === 0 ? [TAGS[(n + 1) % TAGS.length]] : [])],
  });
}

/**
 * The workload's operations as requests on the task API, drawn from a seeded chooser: the same
 * seed makes the same sequence of operations and parameters (ids are picked by position among the
 * tenant's tasks, so they differ from run to run while the sequence does not).
 */
export function createPlanner(workload: Workload, chooser: Chooser, runId: string) {
  const tasks: KnownTask[] = [];
  let created = 0;
  const pick = () => tasks[chooser.index(tasks.length)]!;
  const remember = (body: string) => {
    const task = JSON.parse(body) as KnownTask;
    const known = tasks.find((item) => item.id === task.id);
    if (known) known.version = Math.max(known.version, task.version);
    else tasks.push({ id: task.id, version: task.version });
  };

  const build: Record<OperationKind, (name: string) => PlannedRequest> = {
    getTask: (name) => ({ operation: name, method: 'GET', path: `/v1/tasks/${pick().id}` }),
    listTasks: (name) => {
      const filter = chooser.index(3);
      const query =
        filter === 0 ? `status=${STATUSES[chooser.index(STATUSES.length)]}` : filter === 1 ? `tag=${TAGS[chooser.index(TAGS.length)]}` : 'limit=20';
      return { operation: name, method: 'GET', path: `/v1/tasks?${query}` };
    },
    createTask: (name) => {
      const n = 1_000_000 + created++;
      return {
        operation: name,
        method: 'POST',
        path: '/v1/tasks',
        headers: { ...JSON_TYPE, 'idempotency-key': `${runId}-${n}` },
        body: taskBody(n),
        learn: (status, body) => status === 201 && remember(body),
      };
    },
    patchTask: (name) => {
      const task = pick();
      return {
        operation: name,
        method: 'PATCH',
        path: `/v1/tasks/${task.id}`,
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': `"${task.version}"` },
        body: JSON.stringify({ status: STATUSES[chooser.index(STATUSES.length)] }),
        learn: (status, body) => status === 200 && remember(body),
      };
    },
    getStats: (name) => ({ operation: name, method: 'GET', path: '/v1/stats' }),
  };

  return {
    /** What the seeding learnt: the tenant's first tasks. */
    seeded(body: string) {
      remember(body);
    },
    get taskCount() {
      return tasks.length;
    },
    next(): PlannedRequest {
      const operation = chooser.operation(workload.operations);
      return build[operation.kind](operation.name);
    },
  };
}
export type Planner = ReturnType<typeof createPlanner>;
