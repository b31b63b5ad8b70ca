import { S3Client } from '@aws-sdk/client-s3';
import { createMemoryBlobStore } from '../core/adapters/memory-blob-store.js';
import { createS3BlobStore } from '../core/adapters/s3-blob-store.js';
import type { Config } from '../core/config.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import { noMetrics, type Metrics } from '../core/ports/metrics.js';
import { withCallDeadline } from './call-deadline.js';
import { instrumentClient } from './instrument.js';
import { LOCAL_CREDENTIALS, SDK_CALL_DEADLINE_MS, SDK_CLIENT_OPTIONS, type Built } from './sdk.js';
import { system } from './system.js';

/** The blob store and its SDK client, from the configuration (same callers as createTaskStore). */
export function createBlobStore(config: Config, metrics: Metrics = noMetrics): Built<BlobStore> {
  if (config.store === 'memory') return { value: createMemoryBlobStore({ clock: system.clock }), close: () => {} };
  const s3 = new S3Client({
    ...SDK_CLIENT_OPTIONS,
    region: config.region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(config.s3Endpoint && { endpoint: config.s3Endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS }),
  });
  instrumentClient(s3, 's3', metrics);
  withCallDeadline(s3, SDK_CALL_DEADLINE_MS);
  return { value: createS3BlobStore({ client: s3, bucketName: config.bucketName, clock: system.clock }), close: () => s3.destroy() };
}
