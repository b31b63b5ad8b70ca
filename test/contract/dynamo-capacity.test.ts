import { DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { GSI1 } from '../../core/adapters/dynamo-table.js';
import { taskItem } from '../../core/adapters/dynamo-task-codec.js';
import { createDynamoTaskStore } from '../../core/adapters/dynamo-task-store.js';
import { applyPatch } from '../../core/domain/task.js';
import type { TaskStore } from '../../core/ports/task-store.js';
import { countDynamoRequests } from '../../bench/dynamo-requests.js';
import { billTransactionsAsDynamoDB, itemBytes } from '../../compare/dynamo-units.js';
import { devIssuer } from '../support/auth.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../scripts/local-stack.js';
import { makeClock, makeTask } from '../support/fixtures.js';
import { freshStack } from '../support/stack.js';

// What each consumed capacity unit of a create is for (bench/README.md), on DynamoDB Local as it
// reports it and as DynamoDB bills it (compare/dynamo-units.ts).
const stack = await freshStack();
const config = { endpoint: stack.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
let consumed: ConsumedCapacity[] = [];
const metered = (dynamo: DynamoDBClient) => {
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const reported = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      consumed.push(...(Array.isArray(reported) ? reported : reported ? [reported] : []));
      return result;
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
  return DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
};
const local = new DynamoDBClient(config);
const billed = new DynamoDBClient(config);
const localDocuments = metered(local);
const billedDocuments = metered(billed);
const closeReader = billTransactionsAsDynamoDB(billed, config, { [GSI1]: ['gsi1pk', 'gsi1sk'] });
afterAll(() => {
  closeReader();
  local.destroy();
  billed.destroy();
  stack.close();
});

const units = async (act: () => Promise<unknown>) => {
  consumed = [];
  await act();
  return consumed.map((report) => ({ total: report.CapacityUnits, table: report.Table?.CapacityUnits, index: report.GlobalSecondaryIndexes?.[GSI1]?.CapacityUnits }));
};

describe('consumed capacity of one create', () => {
  const clock = makeClock();
  const claim = (key: string) => ({ key, fingerprint: 'f'.repeat(43), expiresAt: new Date(clock.now().getTime() + 86_400_000) });
  let tenant: string;
  let onLocal: TaskStore;
  let onDynamo: TaskStore;
  beforeEach(() => {
    tenant = `tenant-${Math.random().toString(36).slice(2)}`;
    onLocal = createDynamoTaskStore({ client: localDocuments, tableName: stack.tableName, clock });
    onDynamo = createDynamoTaskStore({ client: billedDocuments, tableName: stack.tableName, clock });
  });

  it('is 12 units as DynamoDB Local reports it: 4 for each of the task and its counter shard, 4 for the index entry, the idempotency record left out', async () => {
    expect(await units(() => onLocal.createTask(tenant, makeTask()))).toEqual([{ total: 12, table: 8, index: 4 }]);
    expect(await units(() => onLocal.createTask(tenant, makeTask(), claim('k1')))).toEqual([{ total: 12, table: 8, index: 4 }]);
  });

  it('charges a plain write of the same task item 1 unit in the table and 1 in the index, as DynamoDB does', async () => {
    const item = taskItem(tenant, makeTask(), 0);
    expect(itemBytes(marshall(item))).toBeLessThan(1024);
    expect(await units(() => localDocuments.send(new PutCommand({ TableName: stack.tableName, Item: item })))).toEqual([{ total: 2, table: 1, index: 1 }]);
  });

  it('is 5 units as DynamoDB bills it (task 2, counter shard 2, index entry 1), 7 with an idempotency record', async () => {
    const task = makeTask();
    expect(await units(() => onDynamo.createTask(tenant, task))).toEqual([{ total: 5, table: 4, index: 1 }]);
    expect(await units(() => onDynamo.createTask(tenant, makeTask(), claim('k2')))).toEqual([{ total: 7, table: 6, index: 1 }]);
    // A status change moves the index entry (remove and add) and the counters; a delete removes task, entry and a count.
    const done = applyPatch(task, { status: 'done' }, clock.now());
    expect(await units(() => onDynamo.updateTask(tenant, done, task))).toEqual([{ total: 6, table: 4, index: 2 }]);
    expect((await units(() => onDynamo.deleteTask(tenant, task.id))).at(-1)).toEqual({ total: 5, table: 4, index: 1 });
  });

  it('sizes items as DynamoDB does: names and values', () => {
    expect(itemBytes({ pk: { S: 'T#a' }, n: { N: '12345' }, ok: { BOOL: true }, tags: { L: [{ S: 'ab' }] } })).toBe(2 + 3 + 1 + 4 + 2 + 1 + 4 + 3 + 2 + 1);
  });

  it("is what the bench reports per operation, DynamoDB's units for transactions", async () => {
    const costs = await countDynamoRequests(stack.env, `Bearer ${await devIssuer().token(`bench-${Math.random()}`)}`);
    expect(costs['POST /v1/tasks']).toMatchObject({ status: 201, commands: ['TransactWriteItems'], consumedCapacity: 5 });
    expect(costs['POST /v1/tasks (Idempotency-Key)']).toMatchObject({ status: 201, consumedCapacity: 7 });
    expect(costs['GET /v1/stats']).toMatchObject({ status: 200, commands: ['Query'], consumedCapacity: 1 });
  });
});
