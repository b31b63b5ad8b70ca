import { createBlobStore } from '../container/blob-store.js';
import { createTaskStore } from '../container/task-store.js';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import { createTaskService } from '../core/use-cases/tasks.js';
import { config, logger, metrics } from './compose.js';

/** The stores and their SDK clients, built once per cold start (at module scope). */
export const store = createTaskStore(config, metrics).value;
export const blobs = createBlobStore(config, metrics).value;
export const taskService = createTaskService({ store, blobs, clock: systemClock, ids: createUlidIds(), logger, metrics });
