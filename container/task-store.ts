import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoTaskStore } from '../core/adapters/dynamo-task-store.js';
import { createMemoryTaskStore } from '../core/adapters/memory-task-store.js';
import { systemClock } from '../core/adapters/system.js';
import type { Config } from '../core/config.js';
import type { TaskStore } from '../core/ports/task-store.js';

/** Local stand-ins accept any key; static keys stop the SDK from probing for cloud credentials. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface Built<T> {
  value: T;
  close(): void;
}

/**
 * The task store and its SDK client, from the configuration. Called by the composition roots
 * only (container/main.ts, handlers/services.ts), once per process or cold start.
 */
export function createTaskStore(config: Config): Built<TaskStore> {
  if (config.store === 'memory') return { value: createMemoryTaskStore({ clock: systemClock }), close: () => {} };
  const dynamo = new DynamoDBClient({
    region: config.region!,
    ...(config.dynamodbEndpoint && { endpoint: config.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS }),
  });
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return { value: createDynamoTaskStore({ client: documents, tableName: config.tableName!, clock: systemClock }), close: () => dynamo.destroy() };
}

