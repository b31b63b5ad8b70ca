import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoTaskStore } from '../core/adapters/dynamo-task-store.js';
import { createMemoryTaskStore } from '../core/adapters/memory-task-store.js';
import { systemClock } from '../core/adapters/system.js';
import type { Config } from '../core/config.js';
import { noMetrics, type Metrics } from '../core/ports/metrics.js';
import type { TaskStore } from '../core/ports/task-store.js';
import { instrumentClient } from './instrument.js';

/**
 * The keys for the local stand-ins (s3rver checks signatures against exactly these); static keys
 * also stop the SDK from probing for cloud credentials.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Every SDK client fails fast instead of hanging: 1 s to connect, 2 s per attempt, 3 attempts
 * with the SDK's standard retry (exponential backoff with full jitter). Worst case about 7 s,
 * inside the Lambda timeout (10 s) and the container's drain (20 s); then a 503 with Retry-After.
 */
export const SDK_CLIENT_OPTIONS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
} as const;

export interface Built<T> {
  value: T;
  close(): void;
}

/**
 * The task store and its SDK client, from the configuration. Called by the composition roots
 * only (container/main.ts, handlers/services.ts), once per process or cold start.
 */
export function createTaskStore(config: Config, metrics: Metrics = noMetrics): Built<TaskStore> {
  if (config.store === 'memory') return { value: createMemoryTaskStore({ clock: systemClock }), close: () => {} };
  const dynamo = new DynamoDBClient({
    ...SDK_CLIENT_OPTIONS,
    region: config.region!,
    ...(config.dynamodbEndpoint && { endpoint: config.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS }),
  });
  instrumentClient(dynamo, 'dynamodb', metrics);
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return { value: createDynamoTaskStore({ client: documents, tableName: config.tableName!, clock: systemClock }), close: () => dynamo.destroy() };
}

