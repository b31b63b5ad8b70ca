import { z } from 'zod';
import { publicConfig, type Config } from '../../config.js';
import { shout } from '../../use-cases/legacy.js';
import { checkReadiness } from '../../use-cases/readiness.js';
import type { BlobStore } from '../../ports/blob-store.js';
import type { TaskStore } from '../../ports/task-store.js';
import { readBody } from '../body.js';
import { problemResponse } from '../problem.js';
import { json } from '../respond.js';
import type { Route } from '../types.js';
import { problemResponses } from './docs.js';

const LegacyInput = z.strictObject({ data: z.string() }).meta({ id: 'LegacyInput' });
const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({ status: z.literal('ok'), checks: z.record(z.string(), z.string()) });

export interface OpsDeps {
  config: Config;
  store: TaskStore;
  blobs: BlobStore;
  draining: () => boolean;
  openapi: () => unknown;
}

export function opsRoutes({ config, store, blobs, draining, openapi }: OpsDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      operationId: 'getHealth',
      doc: { summary: 'Liveness; touches no dependency', responses: { 200: { description: 'Alive', schema: Health } } },
      async handle() {
        return json(200, { status: 'ok' }, { 'cache-control': 'no-store' });
      },
    },
    {
      method: 'GET',
      path: '/readyz',
      operationId: 'getReadiness',
      doc: {
        summary: 'Readiness: the table and the bucket answer, and the server is not draining',
        responses: { 200: { description: 'Ready', schema: Readiness }, ...problemResponses(503) },
      },
      async handle({ requestId }) {
        const { ready, checks, failing } = await checkReadiness({ store, blobs, draining });
        if (ready) return json(200, { status: 'ok', checks }, { 'cache-control': 'no-store' });
        return problemResponse(
          503,
          { title: 'Not ready', detail: `Failing check(s): ${failing.join(', ')}`, code: 'NOT_READY', requestId, checks },
          { 'retry-after': '1', 'cache-control': 'no-store' },
        );
      },
    },
    {
      method: 'GET',
      path: '/config',
      operationId: 'getConfig',
      doc: { summary: 'Non-secret runtime configuration', responses: { 200: { description: 'Configuration' } } },
      async handle() {
        return json(200, publicConfig(config));
      },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      operationId: 'getOpenApi',
      doc: { summary: 'This OpenAPI 3.1 document', responses: { 200: { description: 'OpenAPI document' } } },
      async handle() {
        return json(200, openapi());
      },
    },
    {
      method: 'POST',
      path: '/v1',
      operationId: 'legacyShout',
      doc: {
        summary: 'Legacy text endpoint: the data reversed and upper-cased',
        body: LegacyInput,
        responses: { 200: { description: 'The transformed text as a JSON string', schema: z.string() }, ...problemResponses(400, 413, 415) },
      },
      async handle({ request }) {
        return json(200, shout(readBody(request, LegacyInput).data));
      },
    },
  ];
}
