import { createTaskStore } from '../container/task-store.js';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import { createTaskService } from '../core/use-cases/tasks.js';
import { config, metrics } from './compose.js';

/** The task store and its DynamoDB client, built once per cold start (at module scope). */
export const store = createTaskStore(config, metrics).value;
export const taskService = createTaskService({ store, clock: systemClock, ids: createUlidIds(), metrics });
