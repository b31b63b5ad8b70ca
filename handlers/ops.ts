import './init-timing.js';
import { opsHandlers } from '../core/http/routes/ops.js';
import { config, shared } from './compose.js';
import { store } from './services.js';
import { createLambdaHandler } from './lambda-handler.js';

/**
 * The S3 client loads on the first readiness check, not at every cold start: this function also
 * answers /healthz, /config, /openapi.json and every unknown route.
 */
const blobs = { checkReady: async (signal?: AbortSignal) => (await import('./blobs.js')).blobs.checkReady(signal) };

/** Health, readiness, config and OpenAPI; also API Gateway's $default route, so unknown routes and methods get the same 404/405 problems as in the container. */
export const handler = createLambdaHandler({ ...shared, handlers: opsHandlers({ config, store, blobs }) });
