import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { createDynamoTaskStore } from '../core/adapters/dynamo-task-store.js';
import { createMemoryBlobStore } from '../core/adapters/memory-blob-store.js';
import { createMemoryTaskStore } from '../core/adapters/memory-task-store.js';
import { createS3BlobStore } from '../core/adapters/s3-blob-store.js';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import { loadConfig, type Config } from '../core/config.js';
import { createFullHttpHandler } from '../core/http/all-routes.js';
import type { Logger } from '../core/ports/logger.js';
import { createApp } from './app.js';
import { exitOnSignals, startServer, type RunningServer } from './server.js';

/** Local stand-ins accept any key; static keys stop the SDK from probing for cloud credentials. */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function createStores(config: Config) {
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

/** The container's composition root: reads the environment once and wires everything. */
export async function runContainer(env: Record<string, string | undefined> = process.env): Promise<RunningServer & { logger: Logger }> {
  const config = loadConfig(env, 'container');
  const logger = pino({ level: config.logLevel, base: { service: config.service, target: config.target, version: config.version } });
  const { store, blobs, close } = createStores(config);
  let draining = false;
  const handler = createFullHttpHandler({ config, store, blobs, clock: systemClock, ids: createUlidIds(), logger, draining: () => draining });
  const app = createApp({ handler, logger, draining: () => draining });
  const running = await startServer(app, {
    port: config.port,
    host: config.host,
    logger,
    onDraining: () => {
      draining = true;
    },
  });
  running.server.once('close', close);
  return { ...running, logger };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await runContainer();
  exitOnSignals(running, running.logger);
}
