import type { Attachment } from '../domain/attachment.js';
import {
  AttachmentLimitError,
  AttachmentNotFoundError,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
  TaskNotFoundError,
} from '../domain/errors.js';
import { TASK_STATUSES, type Task, type TaskStats, type TaskStatus } from '../domain/task.js';
import type { Clock } from '../ports/clock.js';
import { LIST_READ_BUDGET, type CreateOutcome, type IdempotencyClaim, type ListQuery, type TaskPage, type TaskStore } from '../ports/task-store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { STATS_SHARDS, statsShard } from './stats-shards.js';

interface TenantData {
  tasks: Map<string, Task>;
  attachments: Map<string, Map<string, Attachment>>;
  claims: Map<string, { fingerprint: string; expiresAt: Date; task: Task }>;
  /** Counters per shard as the DynamoDB store keeps them (stats-shards.ts), summed on read. */
  counts: Record<TaskStatus, number>[];
}

const zero = (): Record<TaskStatus, number> => ({ todo: 0, in_progress: 0, done: 0 });

/**
 * The in-memory task store: product code for `npm start -- --memory` and fast tests, with the
 * same semantics as the DynamoDB store. Each method runs to completion without awaiting, so
 * every write is atomic. Records are frozen when stored, so they are handed out without copies
 * and no caller can change what the store holds.
 */
export function createMemoryTaskStore({ clock, listReadBudget = LIST_READ_BUDGET }: { clock: Clock; listReadBudget?: number }): TaskStore {
  const tenants = new Map<string, TenantData>();
  const tenantData = (tenant: string): TenantData => {
    let data = tenants.get(tenant);
    if (!data) {
      data = { tasks: new Map(), attachments: new Map(), claims: new Map(), counts: Array.from({ length: STATS_SHARDS }, zero) };
      tenants.set(tenant, data);
    }
    return data;
  };
  const freeze = <T extends Task | Attachment>(value: T): T =>
    Object.freeze('tags' in value ? { ...value, tags: Object.freeze([...value.tags]) as string[] } : { ...value });

  return {
    async createTask(tenant, task, claim?: IdempotencyClaim): Promise<CreateOutcome> {
      const data = tenantData(tenant);
      if (claim) {
        const existing = data.claims.get(claim.key);
        if (existing && existing.expiresAt > clock.now()) {
          if (existing.fingerprint !== claim.fingerprint) {
            throw new IdempotencyKeyReusedError('This Idempotency-Key was used with a different request body.');
          }
          return { replayed: true, task: freeze(existing.task) };
        }
        // Like DynamoDB's TTL, expired records go away by themselves, so memory stays bounded.
        // Records share one TTL and a Map iterates in insertion order, so the oldest come first.
        for (const [key, record] of data.claims) {
          if (record.expiresAt > clock.now()) break;
          data.claims.delete(key);
        }
        data.claims.set(claim.key, { fingerprint: claim.fingerprint, expiresAt: claim.expiresAt, task: freeze(task) });
      }
      data.tasks.set(task.id, freeze(task));
      data.counts[statsShard(task.id)]![task.status] += 1;
      return { replayed: false, task: freeze(task) };
    },

    async getTask(tenant, id) {
      const task = tenants.get(tenant)?.tasks.get(id);
      return task && freeze(task);
    },

    async listTasks(tenant, query: ListQuery): Promise<TaskPage> {
      const after = query.cursor ? decodeCursor(query.cursor, query.status) : undefined;
      // Same order as the DynamoDB store: by sk, or by the status index's sort key.
      const sortKey = (task: Task) => (query.status ? `${task.updatedAt}#${task.id}` : `TASK#${task.id}`);
      const afterKey = after && (after.gsi1sk ?? after.sk);
      const candidates = [...(tenants.get(tenant)?.tasks.values() ?? [])]
        .filter((task) => (!query.status || task.status === query.status) && (!afterKey || sortKey(task) < afterKey))
        .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
      // Reads as the DynamoDB store does: up to one match past the page, or to the end of the read budget.
      const budget = Math.max(listReadBudget, query.limit + 1);
      const found: Task[] = [];
      let read = 0;
      let stoppedAt: Task | undefined;
      for (const task of candidates) {
        read += 1;
        if (!query.tag || task.tags.includes(query.tag)) found.push(task);
        if (found.length > query.limit) break;
        if (read >= budget) {
          stoppedAt = task;
          break;
        }
      }
      const items = found.slice(0, query.limit).map(freeze);
      const resumeAt = found.length > query.limit ? items.at(-1) : stoppedAt;
      if (!resumeAt) return { items };
      const position = { status: query.status ?? null, sk: `TASK#${resumeAt.id}`, ...(query.status ? { gsi1sk: sortKey(resumeAt) } : {}) };
      return { items, nextCursor: encodeCursor(position) };
    },

    async updateTask(tenant, next, previous) {
      const data = tenantData(tenant);
      const stored = data.tasks.get(previous.id);
      if (!stored) throw new TaskNotFoundError(`Task ${previous.id} does not exist.`);
      if (stored.version !== previous.version) throw new PreconditionFailedError(`Task ${previous.id} has changed.`);
      data.tasks.set(next.id, freeze(next));
      const shard = data.counts[statsShard(next.id)]!;
      shard[stored.status] -= 1;
      shard[next.status] += 1;
      return freeze(next);
    },

    async deleteTask(tenant, id, precondition) {
      const data = tenantData(tenant);
      const task = data.tasks.get(id);
      if (!task) throw new TaskNotFoundError(`Task ${id} does not exist.`);
      if (precondition && !precondition(task.version)) {
        throw new PreconditionFailedError(`Task ${id} has changed.`);
      }
      const attachments = [...(data.attachments.get(id)?.values() ?? [])];
      data.tasks.delete(id);
      data.attachments.delete(id);
      data.counts[statsShard(id)]![task.status] -= 1;
      return { task, attachments };
    },

    async getStats(tenant): Promise<TaskStats> {
      const counts = zero();
      for (const shard of tenants.get(tenant)?.counts ?? []) for (const status of TASK_STATUSES) counts[status] += shard[status];
      return { total: TASK_STATUSES.reduce((sum, status) => sum + counts[status], 0), byStatus: counts };
    },

    async addAttachment(tenant, attachment, limit) {
      const data = tenantData(tenant);
      if (!data.tasks.has(attachment.taskId)) throw new TaskNotFoundError(`Task ${attachment.taskId} does not exist.`);
      const list = data.attachments.get(attachment.taskId) ?? new Map<string, Attachment>();
      if (list.size >= limit) throw new AttachmentLimitError(`A task holds at most ${limit} attachments.`);
      list.set(attachment.id, freeze(attachment));
      data.attachments.set(attachment.taskId, list);
    },

    async listAttachments(tenant, taskId) {
      const data = tenants.get(tenant);
      if (!data?.tasks.has(taskId)) return undefined;
      return [...(data.attachments.get(taskId)?.values() ?? [])].map(freeze);
    },

    async deleteAttachment(tenant, taskId, attachmentId) {
      const list = tenants.get(tenant)?.attachments.get(taskId);
      if (!list?.delete(attachmentId)) throw new AttachmentNotFoundError(`Attachment ${attachmentId} does not exist.`);
    },

    async checkReady() {},
  };
}
