import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { statsSk } from '../../core/adapters/dynamo-table.js';
import { createDynamoTaskStore } from '../../core/adapters/dynamo-task-store.js';
import { statsShard } from '../../core/adapters/stats-shards.js';
import type { TaskStore } from '../../core/ports/task-store.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../scripts/local-stack.js';
import { makeAttachment, makeClock, makeTask } from '../support/fixtures.js';
import { freshStack } from '../support/stack.js';

const execFileAsync = promisify(execFile);

// What the shared contract cannot see: how many DynamoDB requests each operation costs.
const stack = await freshStack();
const dynamo = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
let commands: { name: string; limit?: number }[] = [];
dynamo.middlewareStack.add(
  (next, context) => async (args) => {
    commands.push({ name: String(context.commandName).replace(/Command$/, ''), limit: (args.input as { Limit?: number }).Limit });
    return next(args);
  },
  { step: 'initialize', name: 'countRequests' },
);
const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
afterAll(() => {
  dynamo.destroy();
  stack.close();
});

describe('DynamoDB task store requests', () => {
  let store: TaskStore;
  let tenant: string;
  const counted = async <T>(act: () => Promise<T>) => {
    commands = [];
    const result = await act();
    return { result, commands: commands.map((command) => command.name), limits: commands.map((command) => command.limit) };
  };

  beforeEach(() => {
    store = createDynamoTaskStore({ client: documents, tableName: stack.tableName, clock: makeClock() });
    tenant = `tenant-${Math.random().toString(36).slice(2)}`;
  });

  it('lists a page of tasks with attachments in one Query that reads one task past the page', async () => {
    const tasks = Array.from({ length: 4 }, () => makeTask());
    for (const task of tasks) {
      await store.createTask(tenant, task);
      await store.addAttachment(tenant, makeAttachment(task.id), 5);
    }
    const { result, commands, limits } = await counted(() => store.listTasks(tenant, { limit: 2 }));
    expect(result.items.map((task) => task.id)).toEqual([tasks[3]!.id, tasks[2]!.id]);
    expect(commands).toEqual(['Query']);
    expect(limits).toEqual([3]);
  });

  it('fills a tag-filtered page with Queries that double in size, not one per task', async () => {
    const tasks = Array.from({ length: 60 }, (_, i) => makeTask({ tags: i === 0 ? ['red'] : [] }));
    for (const task of tasks) await store.createTask(tenant, task);
    const { result, limits } = await counted(() => store.listTasks(tenant, { tag: 'red', limit: 1 }));
    expect(result).toEqual({ items: [tasks[0]] });
    expect(limits).toEqual([2, 4, 8, 16, 32]);
  });

  it('deletes a task without attachments with one GetItem and one transaction, and one with attachments adds one Query', async () => {
    const [plain, attached] = [makeTask(), makeTask()];
    await store.createTask(tenant, plain);
    await store.createTask(tenant, attached);
    await store.addAttachment(tenant, makeAttachment(attached.id), 5);
    expect((await counted(() => store.deleteTask(tenant, plain.id))).commands).toEqual(['GetItem', 'TransactWriteItems']);
    expect((await counted(() => store.deleteTask(tenant, attached.id))).commands).toEqual(['GetItem', 'Query', 'TransactWriteItems']);
  });

  it("lists a task's attachments with one Query, and reads the task only when the list is empty", async () => {
    const [plain, attached] = [makeTask(), makeTask()];
    await store.createTask(tenant, plain);
    await store.createTask(tenant, attached);
    await store.addAttachment(tenant, makeAttachment(attached.id), 5);
    expect((await counted(() => store.listAttachments(tenant, attached.id))).commands).toEqual(['Query']);
    expect(await counted(() => store.listAttachments(tenant, plain.id))).toMatchObject({ result: [], commands: ['Query', 'GetItem'] });
    expect((await counted(() => store.listAttachments(tenant, makeTask().id))).result).toBeUndefined();
  });

  /** Writes an attachment record where the first layout kept it, among the tasks. */
  const putOldAttachment = async (taskId: string) => {
    const attachment = makeAttachment(taskId);
    const item = { pk: `T#${tenant}`, sk: `TASK#${taskId}#ATT#${attachment.id}`, entity: 'attachment', ...attachment };
    await documents.send(new PutCommand({ TableName: stack.tableName, Item: item }));
    await documents.send(
      new UpdateCommand({ TableName: stack.tableName, Key: { pk: `T#${tenant}`, sk: `TASK#${taskId}` }, UpdateExpression: 'SET attachmentCount = :one', ExpressionAttributeValues: { ':one': 1 } }),
    );
    return attachment;
  };

  it('spreads the counters of a burst of creates over several items and reads them back with one Query', async () => {
    const tasks = Array.from({ length: 32 }, () => makeTask());
    await Promise.all(tasks.map((task) => store.createTask(tenant, task)));
    const shards = await stack.documents.send(
      new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)', ExpressionAttributeValues: { ':pk': `T#${tenant}`, ':s': 'STATS' } }),
    );
    expect(new Set(tasks.map((task) => statsShard(task.id))).size).toBeGreaterThan(4);
    expect(shards.Items!.map((item) => item.sk).sort()).toEqual([...new Set(tasks.map((task) => statsSk(statsShard(task.id))))].sort());
    expect(await counted(() => store.getStats(tenant))).toMatchObject({ result: { total: 32 }, commands: ['Query'] });
  });

  it('still counts the single STATS item of the first layout, so no migration is needed', async () => {
    const [old, gone] = [makeTask(), makeTask()];
    await stack.documents.send(new PutCommand({ TableName: stack.tableName, Item: { pk: `T#${tenant}`, sk: 'STATS', todo: 2, done: 1 } }));
    await store.createTask(tenant, gone);
    await store.deleteTask(tenant, gone.id);
    await store.createTask(tenant, old);
    expect(await store.getStats(tenant)).toEqual({ total: 4, byStatus: { todo: 3, in_progress: 0, done: 1 } });
  });

  it('skips attachment records of the first layout (sk TASK#<id>#ATT#<id>) when listing, and moves them where a task finds them', async () => {
    // Prepare
    const tasks = Array.from({ length: 3 }, () => makeTask());
    const old = [];
    for (const task of tasks) {
      await store.createTask(tenant, task);
      old.push(await putOldAttachment(task.id));
    }
    const first = await store.listTasks(tenant, { limit: 2 });
    const rest = await store.listTasks(tenant, { limit: 2, cursor: first.nextCursor! });

    // Act
    await ensureTable(stack.dynamoEndpoint, stack.tableName);

    // Assess
    expect(first.items.map((task) => task.id)).toEqual([tasks[2]!.id, tasks[1]!.id]);
    expect(rest).toEqual({ items: [tasks[0]] });
    expect(await store.listAttachments(tenant, tasks[0]!.id)).toEqual([old[0]]);
    expect(await store.deleteTask(tenant, tasks[1]!.id)).toEqual({ task: tasks[1], attachments: [old[1]] });
    expect(await store.listTasks(tenant, { limit: 5 })).toEqual({ items: [tasks[2], tasks[0]] });
  });

  it('moves them with scripts/migrate-table.ts too, once', async () => {
    const task = makeTask();
    await store.createTask(tenant, task);
    const old = await putOldAttachment(task.id);
    const run = () =>
      execFileAsync(process.execPath, ['--import', 'tsx', 'scripts/migrate-table.ts', '--table', stack.tableName, '--region', LOCAL_REGION, '--endpoint', stack.dynamoEndpoint], {
        // DynamoDB Local keeps one database per access key.
        env: { ...process.env, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey },
      });
    expect((await run()).stdout).toMatch(/: [1-9]\d* attachment record\(s\) moved/);
    expect((await run()).stdout).toMatch(/: 0 attachment record\(s\) moved/);
    expect(await store.listAttachments(tenant, task.id)).toEqual([old]);
  });
});
