import { pathToFileURL } from 'node:url';
import { createJwtAuthenticator } from '../core/adapters/jwt-authenticator.js';
import { loadConfig } from '../core/config.js';
import { createFullHttpHandler } from '../core/http/all-routes.js';
import type { Logger } from '../core/ports/logger.js';
import { createApp } from './app.js';
import { expressMessages } from './express-messages.js';
import { createPrometheusMetrics } from './prometheus.js';
import { exitOnSignals, startMetricsServer, startServer, type RunningServer } from './server.js';
import { createBlobStore } from '../wiring/blob-store.js';
import { asyncStdout, createLogger } from '../wiring/logger.js';
import { system } from '../wiring/system.js';
import { createTaskStore, type ConfigureDynamo } from '../wiring/task-store.js';
import { webAssets } from '../web/assets.js';

/**
 * The container's composition root: reads the environment once and wires everything. Serves the
 * API on PORT and Prometheus metrics on METRICS_PORT (`metricsUrl`); shutdown drains the API, then
 * closes both. Tests may pass `configureDynamo` to add SDK middleware to the DynamoDB client.
 */
export async function runContainer(
  env: Record<string, string | undefined> = process.env,
  { configureDynamo }: { configureDynamo?: ConfigureDynamo } = {},
): Promise<RunningServer & { logger: Logger; metricsUrl: string }> {
  const config = loadConfig(env, 'container');
  const logger = createLogger(config, asyncStdout());
  const { metrics, exposition } = createPrometheusMetrics();
  const store = createTaskStore(config, metrics, configureDynamo);
  const blobs = createBlobStore(config, metrics);
  let draining = false;
  const handler = createFullHttpHandler({
    config,
    store: store.value,
    blobs: blobs.value,
    ...system,
    logger,
    metrics,
    authenticator: createJwtAuthenticator(config.auth),
    draining: () => draining,
    web: webAssets,
  });
  const app = createApp({ handler, draining: () => draining });
  const running = await startServer(app, {
    port: config.port,
    host: config.host,
    logger,
    messages: expressMessages(app, logger),
    onDraining: () => {
      draining = true;
    },
  });
  const metricsServer = await startMetricsServer(exposition, { port: config.metricsPort, host: config.host, logger }).catch(async (error: unknown) => {
    await running.shutdown();
    throw error;
  });
  running.server.once('close', () => {
    store.close();
    blobs.close();
  });
  const shutdown = async () => {
    const drained = await running.shutdown();
    await metricsServer.close();
    return drained;
  };
  return { ...running, shutdown, logger, metricsUrl: metricsServer.url };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await runContainer();
  exitOnSignals(running, running.logger);
}
