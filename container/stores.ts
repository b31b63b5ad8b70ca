import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoTaskStore } from '../core/adapters/dynamo-task-store.js';
import { createMemoryBlobStore } from '../core/adapters/memory-blob-store.js';
import { createMemoryTaskStore } from '../core/adapters/memory-task-store.js';
import { createS3BlobStore } from '../core/adapters/s3-blob-store.js';
import { systemClock } from '../core/adapters/system.js';
import type { Config } from '../core/config.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import type { TaskStore } from '../core/ports/task-store.js';

/** Local stand-ins accept any key; static keys stop the SDK from probing for cloud credentials. */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Builds the stores and their SDK clients from the configuration. Called by the composition
 * roots only (container/main.ts, handlers/compose.ts), once per process or cold start.
 */
export function createStores(config: Config): { store: TaskStore; blobs: BlobStore; close(): void } {
  if (config.store === 'memory') {
    return { store: createMemoryTaskStore({ clock: systemClock }), blobs: createMemoryBlobStore({ clock: systemClock }), close: () => {} };
  }
  const region = config.region!;
  const dynamo = new DynamoDBClient({
    region,
    ...(config.dynamodbEndpoint && { endpoint: config.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS }),
  });
  const s3 = new S3Client({
    region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(config.s3Endpoint && { endpoint: config.s3Endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS }),
  });
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return {
    store: createDynamoTaskStore({ client: documents, tableName: config.tableName!, clock: systemClock }),
    blobs: createS3BlobStore({ client: s3, bucketName: config.bucketName!, clock: systemClock }),
    close: () => {
      dynamo.destroy();
      s3.destroy();
    },
  };
}
