import { createBlobStore } from '../container/blob-store.js';
import { createTaskStore } from '../container/task-store.js';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import { createTaskService } from '../core/use-cases/tasks.js';
import { config, logger } from './compose.js';

/** The stores and their SDK clients, built once per cold start (at module scope). */
export const store = createTaskStore(config).value;
export const blobs = createBlobStore(config).value;
export const taskService = createTaskService({ store, blobs, clock: systemClock, ids: createUlidIds(), logger });
