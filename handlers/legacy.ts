import './init-timing.js';
import { legacyHandlers } from '../core/http/routes/legacy.js';
import { shared } from './compose.js';
import { createLambdaHandler } from './lambda-handler.js';

export const handler = createLambdaHandler({ ...shared, handlers: legacyHandlers() });
