import { afterAll } from 'vitest';
import { createDynamoTaskStore } from '../../core/adapters/dynamo-task-store.js';
import { createMemoryTaskStore } from '../../core/adapters/memory-task-store.js';
import { freshStack } from '../support/stack.js';
import { describeTaskStoreContract } from './task-store.contract.js';

const stack = await freshStack();
afterAll(() => stack.close());

describeTaskStoreContract('memory', async (clock) => createMemoryTaskStore({ clock }));
describeTaskStoreContract('DynamoDB Local', async (clock) =>
  createDynamoTaskStore({ client: stack.documents, tableName: stack.tableName, clock }),
);
