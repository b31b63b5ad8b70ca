import { createBlobStore } from '../wiring/blob-store.js';
import { config, metrics } from './compose.js';

/**
 * The blob store and its S3 client, built once per cold start. Only the functions that touch
 * attachment objects (attachments, ops) import it: the S3 SDK is a fifth of a bundle and of its
 * cold start.
 */
export const blobs = createBlobStore(config, metrics).value;
