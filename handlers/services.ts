import { createStores } from '../container/stores.js';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import { createTaskService } from '../core/use-cases/tasks.js';
import { config, logger } from './compose.js';

/** The stores and their SDK clients, built once per cold start (at module scope). */
export const stores = createStores(config);
export const taskService = createTaskService({ ...stores, clock: systemClock, ids: createUlidIds(), logger });
