import { loadConfig } from '../core/config.js';
import { noMetrics } from '../core/ports/metrics.js';
import { createEmfMetrics, releaseOf } from './emf-metrics.js';
import { createLambdaLogger } from './logger.js';

/**
 * The Lambda composition root: the environment is read once per cold start, outside any
 * handler. SDK clients are built in ./services.ts (DynamoDB) and ./blobs.ts (S3), imported only
 * by the functions that use them, so a function's bundle carries only the SDK clients it needs.
 */
export const config = loadConfig(process.env, 'lambda');
export const logger = createLambdaLogger(config);
export const metrics = config.emfMetrics ? createEmfMetrics(undefined, releaseOf(process.env)) : noMetrics;
/** What every function's HTTP handler shares. */
export const shared = { logger, metrics, corsOrigins: config.corsOrigins };
