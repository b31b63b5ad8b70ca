import { createTaskStore } from '../wiring/task-store.js';
import { createTaskService } from '../core/use-cases/tasks.js';
import { system } from '../wiring/system.js';
import { config, metrics } from './compose.js';

/** The task store and its DynamoDB client, built once per cold start (at module scope). */
export const store = createTaskStore(config, metrics).value;
export const taskService = createTaskService({ store, ...system, metrics });
