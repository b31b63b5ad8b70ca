import './init-timing.js';
import { opsHandlers } from '../core/http/routes/ops.js';
import { config, shared } from './compose.js';
import { blobs } from './blobs.js';
import { store } from './services.js';
import { createLambdaHandler } from './lambda-handler.js';

/** Health, readiness, config and OpenAPI; also API Gateway's $default route, so unknown routes and methods get the same 404/405 problems as in the container. */
export const handler = createLambdaHandler({ ...shared, handlers: opsHandlers({ config, store, blobs }) });
