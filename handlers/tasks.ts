import { taskHandlers } from '../core/http/routes/tasks.js';
import { logger, metrics } from './compose.js';
import { taskService } from './services.js';
import { createLambdaHandler } from './lambda-handler.js';

const { createTask, listTasks, getTask, patchTask, deleteTask } = taskHandlers(taskService);

export const handler = createLambdaHandler({ handlers: { createTask, listTasks, getTask, patchTask, deleteTask }, logger, metrics });
