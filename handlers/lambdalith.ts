import { configure } from '@codegenie/serverless-express';
import { createApp } from '../container/app.js';
import { createJwtAuthenticator } from '../core/adapters/jwt-authenticator.js';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import { createFullHttpHandler } from '../core/http/all-routes.js';
import { config, logger, metrics } from './compose.js';
import { blobs } from './blobs.js';
import { store } from './services.js';

/**
 * One function serving every route through the container's Express app (the `lambdalith` mode).
 * It verifies tokens itself, as the container does, whatever API Gateway's authorizer did before.
 */
const handler = createFullHttpHandler({ config, store, blobs, clock: systemClock, ids: createUlidIds(), logger, metrics, authenticator: createJwtAuthenticator(config.auth) });

export const lambdalith = configure({ app: createApp({ handler, headersReadBack: true }) });
export { lambdalith as handler };
