import './init-timing.js';
import { webHandlers } from '../core/http/routes/web.js';
import { webAssets } from '../web/assets.js';
import { config, shared } from './compose.js';
import { createLambdaHandler } from './lambda-handler.js';

/** The web UI (per-route mode): the page at `/` and its assets, built into the bundle; no SDK client. */
export const handler = createLambdaHandler({ ...shared, handlers: webHandlers({ config, assets: webAssets }) });
