import { createTaskStore } from '../container/task-store.js';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import { createTaskService } from '../core/use-cases/tasks.js';
import { config, logger } from './compose.js';

/**
 * The stores and their SDK clients, built once per cold start (at module scope). The S3 client
 * is loaded on first use: most first events never touch S3, and loading it costs cold-start time.
 */
export const store = createTaskStore(config).value;

let loading: Promise<BlobStore> | undefined;
const loadBlobs = () => (loading ??= import('../container/blob-store.js').then(({ createBlobStore }) => createBlobStore(config).value));

export const blobs: BlobStore = {
  presignPut: async (...args) => (await loadBlobs()).presignPut(...args),
  presignGet: async (...args) => (await loadBlobs()).presignGet(...args),
  deleteObjects: async (...args) => (await loadBlobs()).deleteObjects(...args),
  checkReady: async () => (await loadBlobs()).checkReady(),
};

export const taskService = createTaskService({ store, blobs, clock: systemClock, ids: createUlidIds(), logger });
