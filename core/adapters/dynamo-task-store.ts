import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Attachment } from '../domain/attachment.js';
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
import type { TaskStore } from '../ports/task-store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { GSI1 } from './dynamo-table.js';
import { translateAwsError } from './aws-errors.js';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;
type Item = Record<string, unknown>;
interface Reason {
  code?: string;
  item?: Item;
}

const pkOf = (tenant: string) => `T#${tenant}`;
const taskSk = (id: string) => `TASK#${id}`;
const attachmentSk = (taskId: string, id: string) => `TASK#${taskId}#ATT#${id}`;
const STATS_SK = 'STATS';
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entity', 'attachmentCount'];
const TRANSACTION_ATTEMPTS = 5;

function strip(item: Item): Item {
  const rest = { ...item };
  for (const key of KEY_ATTRIBUTES) delete rest[key];
  return rest;
}

/**
 * The DynamoDB task store over the single-table model of DESIGN.md. Every operation is one
 * request (Get, Query or one TransactWriteItems), except delete, which must read the task's
 * attachment records (one Query) before removing them in one transaction.
 */
export function createDynamoTaskStore({
  client,
  tableName,
  clock,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
}): TaskStore {
  const send = translateAwsError('DynamoDB');
  const taskItem = (tenant: string, task: Task, attachmentCount: number): Item => ({
    pk: pkOf(tenant),
    sk: taskSk(task.id),
    entity: 'task',
    gsi1pk: `${pkOf(tenant)}#S#${task.status}`,
    gsi1sk: `${task.updatedAt}#${task.id}`,
    attachmentCount,
    ...task,
  });
  const statsUpdate = (tenant: string, deltas: Partial<Record<string, number>>): TransactItems[number] => {
    const entries = Object.entries(deltas).filter(([, delta]) => delta !== 0);
    return {
      Update: {
        TableName: tableName,
        Key: { pk: pkOf(tenant), sk: STATS_SK },
        UpdateExpression: `ADD ${entries.map((_, i) => `#s${i} :d${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([status], i) => [`#s${i}`, status])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, delta], i) => [`:d${i}`, delta])),
      },
    };
  };

  /**
   * Runs one transaction, retrying only when DynamoDB reports a conflicting transaction in flight.
   * Resolves to undefined when it committed, or to the per-item cancellation reasons.
   */
  async function transact(items: TransactItems): Promise<Reason[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await send(() => client.send(new TransactWriteCommand({ TransactItems: items })));
        return undefined;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = (error.CancellationReasons ?? []).map((reason) => ({
          code: reason.Code,
          item: reason.Item ? unmarshall(reason.Item) : undefined,
        }));
        if (!reasons.some((reason) => reason.code === 'TransactionConflict')) return reasons;
        if (attempt >= TRANSACTION_ATTEMPTS) {
          throw new ConflictError('The request conflicted with concurrent changes; retry it.', { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  async function queryTaskWithAttachments(tenant: string, taskId: string): Promise<Item[]> {
    const result = await send(() =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pkOf(tenant), ':prefix': taskSk(taskId) },
          ConsistentRead: true,
        }),
      ),
    );
    return result.Items ?? [];
  }

  return {
    async createTask(tenant, task, claim) {
      const items: TransactItems = [
        { Put: { TableName: tableName, Item: taskItem(tenant, task, 0), ConditionExpression: 'attribute_not_exists(pk)' } },
        statsUpdate(tenant, { [task.status]: 1 }),
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
      const result = await send(() =>
        client.send(new GetCommand({ TableName: tableName, Key: { pk: pkOf(tenant), sk: taskSk(id) }, ConsistentRead: true })),
      );
      return result.Item ? Task.parse(strip(result.Item)) : undefined;
    },

    async listTasks(tenant, query) {
      const after = query.cursor ? decodeCursor(query.cursor, query.status) : undefined;
      const values: Item = { ':entity': 'task' };
      let filter = 'entity = :entity';
      if (query.tag) {
        filter += ' AND contains(tags, :tag)';
        values[':tag'] = query.tag;
      }
      const byStatus = query.status !== undefined;
      const gsi1pk = `${pkOf(tenant)}#S#${query.status}`;
      const result = await send(() =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            ...(byStatus
              ? { IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :g', ExpressionAttributeValues: { ...values, ':g': gsi1pk } }
              : {
                  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
                  ExpressionAttributeValues: { ...values, ':pk': pkOf(tenant), ':prefix': 'TASK#' },
                }),
            FilterExpression: filter,
            ScanIndexForward: false,
            Limit: query.limit,
            ...(after && {
              ExclusiveStartKey: {
                pk: pkOf(tenant),
                sk: after.sk,
                ...(byStatus && { gsi1pk, gsi1sk: after.gsi1sk }),
              },
            }),
          }),
        ),
      );
      const items = (result.Items ?? []).map((item) => Task.parse(strip(item)));
      const last = result.LastEvaluatedKey;
      if (!last) return { items };
      const nextCursor = encodeCursor({
        status: query.status ?? null,
        sk: String(last.sk),
        ...(byStatus && { gsi1sk: String(last.gsi1sk) }),
      });
      return { items, nextCursor };
    },

    async updateTask(tenant, next, previous) {
      const fields = Object.entries(taskItem(tenant, next, 0)).filter(
        ([key]) => !['pk', 'sk', 'entity', 'attachmentCount', 'id', 'createdAt'].includes(key),
      );
      const removed = ['description', 'dueAt'].filter((key) => !(key in next));
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
        const reasons = await transact([{ Update: update }, statsUpdate(tenant, { [previous.status]: -1, [next.status]: 1 })]);
        if (reasons) failed(reasons[0]?.item !== undefined);
      }
      return next;
    },

    async deleteTask(tenant, id, precondition) {
      for (let attempt = 1; ; attempt++) {
        const items = await queryTaskWithAttachments(tenant, id);
        const stored = items.find((item) => item.sk === taskSk(id));
        if (!stored) throw new TaskNotFoundError(`Task ${id} does not exist.`);
        const task = Task.parse(strip(stored));
        if (precondition && !precondition(task.version)) {
          throw new PreconditionFailedError(`Task ${id} has changed.`);
        }
        const attachments = items.filter((item) => item !== stored).map((item) => Attachment.parse(strip(item)));
        const reasons = await transact([
          {
            Delete: {
              TableName: tableName,
              Key: { pk: pkOf(tenant), sk: taskSk(id) },
              // The attachment count guards against an attachment added since the Query.
              ConditionExpression: 'version = :v AND attachmentCount = :n',
              ExpressionAttributeValues: { ':v': task.version, ':n': attachments.length },
            },
          },
          ...attachments.map((attachment) => ({
            Delete: { TableName: tableName, Key: { pk: pkOf(tenant), sk: attachmentSk(id, attachment.id) } },
          })),
          statsUpdate(tenant, { [task.status]: -1 }),
        ]);
        if (!reasons) return { task, attachments };
        if (attempt >= TRANSACTION_ATTEMPTS) throw new ConflictError(`Task ${id} kept changing; retry the request.`);
      }
    },

    async getStats(tenant): Promise<TaskStats> {
      const result = await send(() =>
        client.send(new GetCommand({ TableName: tableName, Key: { pk: pkOf(tenant), sk: STATS_SK }, ConsistentRead: true })),
      );
      const byStatus = { todo: 0, in_progress: 0, done: 0 };
      for (const status of TASK_STATUSES) byStatus[status] = Number(result.Item?.[status] ?? 0);
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
      const items = await queryTaskWithAttachments(tenant, taskId);
      if (!items.some((item) => item.sk === taskSk(taskId))) return undefined;
      return items.filter((item) => item.entity === 'attachment').map((item) => Attachment.parse(strip(item)));
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
