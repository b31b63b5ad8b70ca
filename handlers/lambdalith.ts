import './init-timing.js';
import { configure } from '@codegenie/serverless-express';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createApp } from '../container/app.js';
import { createJwtAuthenticator } from '../core/adapters/jwt-authenticator.js';
import { createFullHttpHandler } from '../core/http/all-routes.js';
import { system } from '../wiring/system.js';
import { config, logger, metrics } from './compose.js';
import { blobs } from './blobs.js';
import { withInitTiming } from './init-timing.js';
import { store } from './services.js';
import { webAssets } from '../web/assets.js';

/**
 * One function serving every route through the container's Express app (the `lambdalith` mode).
 * It verifies tokens itself, as the container does, whatever API Gateway's authorizer did before.
 */
const handler = createFullHttpHandler({ config, store, blobs, ...system, logger, metrics, authenticator: createJwtAuthenticator(config.auth), web: webAssets });

const serve = configure<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({ app: createApp({ handler, headersReadBack: true }) });

// serverless-express resolves its promise (resolutionMode PROMISE); the callback is never called.
export const lambdalith = withInitTiming((event: APIGatewayProxyEventV2, context: Context) => serve(event, context, () => {}) as Promise<APIGatewayProxyStructuredResultV2>);
export { lambdalith as handler };
