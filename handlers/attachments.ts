import './init-timing.js';
import { attachmentHandlers } from '../core/http/routes/attachments.js';
import { createAttachmentService } from '../core/use-cases/attachments.js';
import { system } from '../wiring/system.js';
import { shared, logger, metrics } from './compose.js';
import { authenticator } from './auth.js';
import { blobs } from './blobs.js';
import { store } from './services.js';
import { createLambdaHandler } from './lambda-handler.js';

/** The attachment routes and DELETE of a task, which deletes its attachments' objects: the functions that need S3. */
const attachments = createAttachmentService({ store, blobs, ...system, logger, metrics });

export const handler = createLambdaHandler({ ...shared, handlers: attachmentHandlers(attachments), authenticator });
