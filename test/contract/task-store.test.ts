import { afterAll } from 'vitest';
import { createDynamoTaskStore } from '../../core/adapters/dynamo-task-store.js';
import { createMemoryTaskStore } from '../../core/adapters/memory-task-store.js';
import { freshStack } from '../support/stack.js';
import { describeTaskStoreContract } from './task-store.contract.js';

const stack = await freshStack();
afterAll(() => stack.close());

describeTaskStoreContract('memory', async (clock, options) => createMemoryTaskStore({ clock, ...options }));
describeTaskStoreContract('DynamoDB Local', async (clock, options) =>
  createDynamoTaskStore({ client: stack.documents, tableName: stack.tableName, clock, ...options }),
);
