import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoTaskStore } from '../core/adapters/dynamo-task-store.js';
import { createMemoryTaskStore } from '../core/adapters/memory-task-store.js';
import type { Config } from '../core/config.js';
import { noMetrics, type Metrics } from '../core/ports/metrics.js';
import type { TaskStore } from '../core/ports/task-store.js';
import { withCallDeadline } from './call-deadline.js';
import { instrumentClient } from './instrument.js';
import { LOCAL_CREDENTIALS, SDK_CALL_DEADLINE_MS, SDK_CLIENT_OPTIONS, type Built } from './sdk.js';
import { system } from './system.js';

/** What a test may add to the DynamoDB client before the store uses it (test/support/transaction-conflicts.ts). */
export type ConfigureDynamo = (client: DynamoDBClient) => void;

/**
 * The task store and its SDK client, from the configuration. Called by the composition roots
 * only (container/main.ts, handlers/services.ts), once per process or cold start.
 */
export function createTaskStore(config: Config, metrics: Metrics = noMetrics, configureDynamo?: ConfigureDynamo): Built<TaskStore> {
  if (config.store === 'memory') return { value: createMemoryTaskStore({ clock: system.clock }), close: () => {} };
  const dynamo = new DynamoDBClient({
    ...SDK_CLIENT_OPTIONS,
    region: config.region,
    ...(config.dynamodbEndpoint && { endpoint: config.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS }),
  });
  instrumentClient(dynamo, 'dynamodb', metrics);
  configureDynamo?.(dynamo);
  const documents = withCallDeadline(DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }), SDK_CALL_DEADLINE_MS);
  return { value: createDynamoTaskStore({ client: documents, tableName: config.tableName, clock: system.clock }), close: () => dynamo.destroy() };
}
