import type { Authenticator } from '../ports/authenticator.js';
import { createAttachmentService, type AttachmentServiceDeps } from '../use-cases/attachments.js';
import { createTaskService } from '../use-cases/tasks.js';
import { createHttpHandler } from './handler.js';
import { attachmentHandlers } from './routes/attachments.js';
import { legacyHandlers } from './routes/legacy.js';
import { opsHandlers, type OpsDeps } from './routes/ops.js';
import { taskHandlers } from './routes/tasks.js';
import { webHandlers, type WebAssets } from './routes/web.js';

/** What the whole service needs: the services' dependencies plus the operational ones. */
export type CoreDeps = AttachmentServiceDeps & OpsDeps & { authenticator: Authenticator; web?: WebAssets };

/** Every operation bound: what the container and the lambdalith serve. */
export function createFullHttpHandler(deps: CoreDeps) {
  const tasks = createTaskService(deps);
  const attachments = createAttachmentService(deps);
  return createHttpHandler({
    handlers: {
      ...opsHandlers(deps),
      ...webHandlers({ config: deps.config, ...(deps.web && { assets: deps.web }) }),
      ...legacyHandlers(),
      ...taskHandlers(tasks),
      ...attachmentHandlers(attachments),
    },
    logger: deps.logger,
    authenticator: deps.authenticator,
    corsOrigins: deps.config.corsOrigins,
    ...(deps.metrics && { metrics: deps.metrics }),
  });
}
