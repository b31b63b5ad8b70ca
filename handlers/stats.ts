import { taskHandlers } from '../core/http/routes/tasks.js';
import { shared } from './compose.js';
import { authenticator, taskService } from './services.js';
import { createLambdaHandler } from './lambda-handler.js';

const { getStats } = taskHandlers(taskService);

export const handler = createLambdaHandler({ ...shared, handlers: { getStats }, authenticator });
