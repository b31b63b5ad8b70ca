import { createBlobStore } from '../container/blob-store.js';
import { createTaskStore } from '../container/task-store.js';
import { createGatewayAuthenticator } from '../core/adapters/gateway-authenticator.js';
import { createJwtAuthenticator } from '../core/adapters/jwt-authenticator.js';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import { createTaskService } from '../core/use-cases/tasks.js';
import { config, logger, metrics } from './compose.js';

/** The stores and their SDK clients, built once per cold start (at module scope). */
export const store = createTaskStore(config, metrics).value;
export const blobs = createBlobStore(config, metrics).value;
/**
 * Behind API Gateway's JWT authorizer (AUTH_CLAIMS=gateway) the functions read the claims it
 * verified; elsewhere (serverless-offline, which does not enforce it) they verify the token.
 */
export const authenticator = config.auth.claims === 'gateway' ? createGatewayAuthenticator(config.auth) : createJwtAuthenticator(config.auth);
export const taskService = createTaskService({ store, blobs, clock: systemClock, ids: createUlidIds(), logger, metrics });
