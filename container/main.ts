import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { createUlidIds, systemClock } from '../core/adapters/system.js';
import { loadConfig } from '../core/config.js';
import { createFullHttpHandler } from '../core/http/all-routes.js';
import type { Logger } from '../core/ports/logger.js';
import { createApp } from './app.js';
import { exitOnSignals, startServer, type RunningServer } from './server.js';
import { createStores } from './stores.js';

/** The container's composition root: reads the environment once and wires everything. */
export async function runContainer(env: Record<string, string | undefined> = process.env): Promise<RunningServer & { logger: Logger }> {
  const config = loadConfig(env, 'container');
  const logger = pino({ level: config.logLevel, base: { service: config.service, target: config.target, version: config.version } });
  const { store, blobs, close } = createStores(config);
  let draining = false;
  const handler = createFullHttpHandler({ config, store, blobs, clock: systemClock, ids: createUlidIds(), logger, draining: () => draining });
  const app = createApp({ handler, logger, draining: () => draining });
  const running = await startServer(app, {
    port: config.port,
    host: config.host,
    logger,
    onDraining: () => {
      draining = true;
    },
  });
  running.server.once('close', close);
  return { ...running, logger };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await runContainer();
  exitOnSignals(running, running.logger);
}
