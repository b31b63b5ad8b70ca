import './init-timing.js';
import { taskHandlers } from '../core/http/routes/tasks.js';
import { shared } from './compose.js';
import { authenticator } from './auth.js';
import { taskService } from './services.js';
import { createLambdaHandler } from './lambda-handler.js';

const { getStats } = taskHandlers(taskService);

export const handler = createLambdaHandler({ ...shared, handlers: { getStats }, authenticator });
