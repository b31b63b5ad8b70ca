import type { Config } from '../config.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Ids } from '../ports/ids.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { TaskStore } from '../ports/task-store.js';
import { createTaskService } from '../use-cases/tasks.js';
import { createHttpHandler } from './handler.js';
import { attachmentHandlers } from './routes/attachments.js';
import { legacyHandlers } from './routes/legacy.js';
import { opsHandlers, type OpsDeps } from './routes/ops.js';
import { taskHandlers } from './routes/tasks.js';

export interface CoreDeps {
  config: Config;
  store: TaskStore;
  blobs: BlobStore;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  metrics?: Metrics;
  draining?: () => boolean;
  exposition?: OpsDeps['exposition'];
}

/** Every operation bound: what the container and the lambdalith serve. */
export function createFullHttpHandler(deps: CoreDeps) {
  const tasks = createTaskService(deps);
  return createHttpHandler({
    handlers: { ...opsHandlers(deps), ...legacyHandlers(), ...taskHandlers(tasks), ...attachmentHandlers(tasks) },
    logger: deps.logger,
    ...(deps.metrics && { metrics: deps.metrics }),
  });
}
