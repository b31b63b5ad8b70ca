import { legacyHandlers } from '../core/http/routes/legacy.js';
import { logger, metrics } from './compose.js';
import { createLambdaHandler } from './lambda-handler.js';

export const handler = createLambdaHandler({ handlers: legacyHandlers(), logger, metrics });
