import type { Attachment } from '../domain/attachment.js';
import type { Task, TaskStats, TaskStatus } from '../domain/task.js';

/** Claims an Idempotency-Key for one create; `fingerprint` identifies the request body. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
  expiresAt: Date;
}

export type CreateOutcome = { replayed: false; task: Task } | { replayed: true; task: Task };

export interface ListQuery {
  status?: TaskStatus;
  tag?: string;
  limit: number;
  cursor?: string;
}

export interface TaskPage {
  items: Task[];
  nextCursor?: string;
}

/**
 * How many tasks one list call reads at most while looking for matches of a `tag` (a filter the
 * keys cannot serve), so that a call stays bounded in time and cost however sparse the matches.
 */
export const LIST_READ_BUDGET = 1000;

/**
 * Persistence of tasks, their attachment records and per-tenant counters. Every method is
 * scoped to one tenant, and every write is conditional (no lost updates).
 *
 * Errors: TaskNotFoundError, AttachmentNotFoundError, PreconditionFailedError (version changed),
 * IdempotencyKeyReusedError, AttachmentLimitError, ValidationError (bad cursor),
 * DependencyUnavailableError (the store cannot be reached).
 */
export interface TaskStore {
  /** Stores a new task and bumps the counters; with a claim, replays the first outcome of its key. */
  createTask(tenant: string, task: Task, claim?: IdempotencyClaim): Promise<CreateOutcome>;
  getTask(tenant: string, id: string): Promise<Task | undefined>;
  /**
   * Without status: newest created first. With status: most recently updated first. A page holds
   * `limit` tasks whenever that many remain, and nextCursor is set only while more may remain;
   * the one exception: with `tag`, a call that has read its budget of tasks (LIST_READ_BUDGET, at
   * least limit + 1) ends the page there, short, with a nextCursor after the last task read.
   */
  listTasks(tenant: string, query: ListQuery): Promise<TaskPage>;
  /** Replaces `previous` by `next` if the stored version is still `previous.version`. */
  updateTask(tenant: string, next: Task, previous: Task): Promise<Task>;
  /** Deletes the task and its attachment records if `precondition` (an If-Match) accepts its version. */
  deleteTask(tenant: string, id: string, precondition?: (version: number) => boolean): Promise<{ task: Task; attachments: Attachment[] }>;
  getStats(tenant: string): Promise<TaskStats>;
  /** Records an attachment of an existing task, refusing more than `limit` per task. */
  addAttachment(tenant: string, attachment: Attachment, limit: number): Promise<void>;
  /** The task's attachments, or undefined when the task does not exist. */
  listAttachments(tenant: string, taskId: string): Promise<Attachment[] | undefined>;
  deleteAttachment(tenant: string, taskId: string, attachmentId: string): Promise<void>;
  /** Resolves when the store answers; rejects otherwise, or once `signal` aborts (the check is then cancelled). */
  checkReady(signal?: AbortSignal): Promise<void>;
}
