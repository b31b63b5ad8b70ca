import { attachmentHandlers } from '../core/http/routes/attachments.js';
import { logger, metrics } from './compose.js';
import { taskService } from './services.js';
import { createLambdaHandler } from './lambda-handler.js';

export const handler = createLambdaHandler({ handlers: attachmentHandlers(taskService), logger, metrics });
