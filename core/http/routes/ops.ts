import { publicConfig, type Config } from '../../config.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { TaskStore } from '../../ports/task-store.js';
import { checkReadiness } from '../../use-cases/readiness.js';
import { buildOpenApi } from '../openapi.js';
import { problemResponse } from '../problem.js';
import { json } from '../response.js';
import type { RouteHandlers } from '../specs.js';

export interface OpsDeps {
  config: Config;
  store: TaskStore;
  blobs: BlobStore;
  /** True once the runtime is shutting down; readiness then fails. */
  draining?: () => boolean;
}

/** The public operational routes. Metrics are not among them: a runtime serves them where no ingress routes (the container: on a port of their own), or publishes them (Lambda: EMF). */
export function opsHandlers({ config, store, blobs, draining = () => false }: OpsDeps) {
  let openapi: unknown;
  return {
    async getHealth() {
      return json(200, { status: 'ok' }, { 'cache-control': 'no-store' });
    },

    async getReadiness({ requestId }) {
      const { ready, checks, failing } = await checkReadiness({ store, blobs, draining });
      if (ready) return json(200, { status: 'ok', checks }, { 'cache-control': 'no-store' });
      return problemResponse(
        503,
        { title: 'Not ready', detail: `Failing check(s): ${failing.join(', ')}`, code: 'NOT_READY', requestId, checks },
        { 'retry-after': '1', 'cache-control': 'no-store' },
      );
    },

    async getConfig() {
      return json(200, publicConfig(config));
    },

    async getOpenApi() {
      openapi ??= buildOpenApi({ version: config.version });
      return json(200, openapi);
    },
  } satisfies RouteHandlers;
}
