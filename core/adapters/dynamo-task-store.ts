import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Attachment } from '../domain/attachment.js';
import {
  AttachmentLimitError,
  AttachmentNotFoundError,
  ConflictError,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
  TaskNotFoundError,
} from '../domain/errors.js';
import { TASK_STATUSES, Task, type TaskStats } from '../domain/task.js';
import type { Clock } from '../ports/clock.js';
import { LIST_READ_BUDGET, type TaskStore } from '../ports/task-store.js';
import { decodeAttachment, decodeTask, taskChanges, taskItem, type Item } from './dynamo-task-codec.js';
import { queryTaskPage } from './dynamo-task-list.js';
import { attachmentSk, attachmentsPrefix, pkOf, STATS_PREFIX, taskSk } from './dynamo-table.js';
import { countersUpdate, createTransact, dynamoSend, TRANSACTION_ATTEMPTS, type TransactItems } from './dynamo-transaction.js';

/**
 * The DynamoDB task store over the single-table layout of dynamo-table.ts. Every operation is one
 * request (Get, Query or one TransactWriteItems; stats one Query of the counter shards) but these: delete reads the task (and, when it has
 * attachments, their records) before removing them in one transaction; listing the attachments of
 * a task that has none also reads the task, to tell an empty list from a missing task; a list
 * with a tag may query more than once to fill its page (dynamo-task-list.ts).
 */
export function createDynamoTaskStore({
  client,
  tableName,
  clock,
  listReadBudget = LIST_READ_BUDGET,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  listReadBudget?: number;
}): TaskStore {
  const send = dynamoSend();
  const transact = createTransact(client, send);
  const statsUpdate = (tenant: string, taskId: string, deltas: Partial<Record<string, number>>) => countersUpdate(tableName, tenant, taskId, deltas);

  async function readTask(tenant: string, id: string): Promise<Item | undefined> {
    const result = await send(() =>
      client.send(new GetCommand({ TableName: tableName, Key: { pk: pkOf(tenant), sk: taskSk(id) }, ConsistentRead: true })),
    );
    return result.Item;
  }

  /** At most MAX_ATTACHMENTS_PER_TASK small records, far below a Query's 1 MB page. */
  async function queryAttachments(tenant: string, taskId: string): Promise<Attachment[]> {
    const result = await send(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pkOf(tenant), ':prefix': attachmentsPrefix(taskId) },
          ConsistentRead: true,
        }),
      ),
    );
    return (result.Items ?? []).map((item) => decodeAttachment(item));
  }

  return {
    async createTask(tenant, task, claim) {
      const items: TransactItems = [
        { Put: { TableName: tableName, Item: taskItem(tenant, task, 0), ConditionExpression: 'attribute_not_exists(pk)' } },
        statsUpdate(tenant, task.id, { [task.status]: 1 }),
      ];
      if (claim) {
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              pk: pkOf(tenant),
              sk: `IDEM#${claim.key}`,
              entity: 'idempotency',
              fingerprint: claim.fingerprint,
              expiresAt: Math.floor(claim.expiresAt.getTime() / 1000),
              task,
            },
            // TTL deletion lags by up to days, so an expired record counts as absent.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(clock.now().getTime() / 1000) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        });
      }
      const reasons = await transact(items);
      if (!reasons) return { replayed: false, task };
      const previous = reasons[2]?.code === 'ConditionalCheckFailed' ? reasons[2].item : undefined;
      if (!previous) throw new ConflictError(`Task ${task.id} could not be created; retry the request.`);
      if (previous.fingerprint !== claim?.fingerprint) {
        throw new IdempotencyKeyReusedError('This Idempotency-Key was used with a different request body.');
      }
      return { replayed: true, task: Task.parse(previous.task) };
    },

    async getTask(tenant, id) {
      const item = await readTask(tenant, id);
      return item ? decodeTask(item) : undefined;
    },

    async listTasks(tenant, query) {
      const page = await queryTaskPage({ client, tableName, send, readBudget: listReadBudget }, tenant, query);
      return { ...page, items: page.items.map((item) => decodeTask(item)) };
    },

    async updateTask(tenant, next, previous) {
      const { set: fields, remove: removed } = taskChanges(tenant, next);
      const update = {
        TableName: tableName,
        Key: { pk: pkOf(tenant), sk: taskSk(next.id) },
        UpdateExpression:
          `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}` +
          (removed.length ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''),
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: {
          ...Object.fromEntries(fields.map(([key], i) => [`#f${i}`, key])),
          ...Object.fromEntries(removed.map((key, i) => [`#r${i}`, key])),
          '#version': 'version',
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
          ':expected': previous.version,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      };
      const failed = (taskExists: boolean): never => {
        if (!taskExists) throw new TaskNotFoundError(`Task ${next.id} does not exist.`);
        throw new PreconditionFailedError(`Task ${next.id} has changed.`);
      };
      if (next.status === previous.status) {
        try {
          await send(() => client.send(new UpdateCommand(update)));
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          failed(error.Item !== undefined);
        }
      } else {
        const reasons = await transact([{ Update: update }, statsUpdate(tenant, next.id, { [previous.status]: -1, [next.status]: 1 })]);
        if (reasons) failed(reasons[0]?.item !== undefined);
      }
      return next;
    },

    async deleteTask(tenant, id, precondition) {
      for (let attempt = 1; ; attempt++) {
        const stored = await readTask(tenant, id);
        if (!stored) throw new TaskNotFoundError(`Task ${id} does not exist.`);
        const task = decodeTask(stored);
        if (precondition && !precondition(task.version)) {
          throw new PreconditionFailedError(`Task ${id} has changed.`);
        }
        // The task counts its attachments, so most deletes need no second read.
        const attachments = Number(stored.attachmentCount ?? 0) > 0 ? await queryAttachments(tenant, id) : [];
        const reasons = await transact([
          {
            Delete: {
              TableName: tableName,
              Key: { pk: pkOf(tenant), sk: taskSk(id) },
              // With each record's attribute_exists, the count catches any attachment added or deleted since the reads.
              ConditionExpression: 'version = :v AND attachmentCount = :n',
              ExpressionAttributeValues: { ':v': task.version, ':n': attachments.length },
            },
          },
          ...attachments.map((attachment) => ({
            Delete: {
              TableName: tableName,
              Key: { pk: pkOf(tenant), sk: attachmentSk(id, attachment.id) },
              ConditionExpression: 'attribute_exists(pk)',
            },
          })),
          statsUpdate(tenant, id, { [task.status]: -1 }),
        ]);
        if (!reasons) return { task, attachments };
        if (attempt >= TRANSACTION_ATTEMPTS) throw new ConflictError(`Task ${id} kept changing; retry the request.`);
      }
    },

    async getStats(tenant): Promise<TaskStats> {
      // The shards and the first layout's single item: at most 17 small items, one page.
      const result = await send(() =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stats)',
            ExpressionAttributeValues: { ':pk': pkOf(tenant), ':stats': STATS_PREFIX },
            ConsistentRead: true,
          }),
        ),
      );
      const byStatus = { todo: 0, in_progress: 0, done: 0 };
      for (const item of result.Items ?? []) for (const status of TASK_STATUSES) byStatus[status] += Number(item[status] ?? 0);
      return { total: byStatus.todo + byStatus.in_progress + byStatus.done, byStatus };
    },

    async addAttachment(tenant, attachment, limit) {
      const reasons = await transact([
        {
          Update: {
            TableName: tableName,
            Key: { pk: pkOf(tenant), sk: taskSk(attachment.taskId) },
            UpdateExpression: 'SET attachmentCount = attachmentCount + :one',
            ConditionExpression: 'attribute_exists(pk) AND attachmentCount < :limit',
            ExpressionAttributeValues: { ':one': 1, ':limit': limit },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { pk: pkOf(tenant), sk: attachmentSk(attachment.taskId, attachment.id), entity: 'attachment', ...attachment },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      if (!reasons) return;
      if (reasons[0]?.code !== 'ConditionalCheckFailed') throw new ConflictError('The attachment could not be recorded; retry.');
      if (!reasons[0].item) throw new TaskNotFoundError(`Task ${attachment.taskId} does not exist.`);
      throw new AttachmentLimitError(`A task holds at most ${limit} attachments.`);
    },

    async listAttachments(tenant, taskId) {
      const attachments = await queryAttachments(tenant, taskId);
      // Attachment records live only as long as their task (both change in one transaction), so only an empty answer needs the task read.
      if (!attachments.length && !(await readTask(tenant, taskId))) return undefined;
      return attachments;
    },

    async deleteAttachment(tenant, taskId, attachmentId) {
      const reasons = await transact([
        {
          Delete: {
            TableName: tableName,
            Key: { pk: pkOf(tenant), sk: attachmentSk(taskId, attachmentId) },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: { pk: pkOf(tenant), sk: taskSk(taskId) },
            UpdateExpression: 'SET attachmentCount = attachmentCount - :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ]);
      if (reasons) throw new AttachmentNotFoundError(`Attachment ${attachmentId} does not exist.`);
    },

    async checkReady(signal) {
      await send(() => client.send(new GetCommand({ TableName: tableName, Key: { pk: '_readyz', sk: '_readyz' } }), { abortSignal: signal }));
    },
  };
}
