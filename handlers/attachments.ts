import { attachmentHandlers } from '../core/http/routes/attachments.js';
import { shared } from './compose.js';
import { authenticator } from './auth.js';
import { taskService } from './services.js';
import { createLambdaHandler } from './lambda-handler.js';

export const handler = createLambdaHandler({ ...shared, handlers: attachmentHandlers(taskService), authenticator });
