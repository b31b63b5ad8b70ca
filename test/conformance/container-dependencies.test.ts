import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../../container/main.js';
import type { RunningServer } from '../../container/server.js';
import { freePort } from '../../scripts/local-stack.js';
import { devIssuer } from '../support/auth.js';
import { freshStack } from '../support/stack.js';
import { client, expectProblem } from './client.js';

const QUIET = { HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' };
const stack = await freshStack();
const issuer = devIssuer();
const TOKEN = await issuer.token('alice');
let live: RunningServer;
let cutOff: RunningServer;
let noIssuer: RunningServer;

beforeAll(async () => {
  live = await runContainer({ ...QUIET, ...stack.env });
  const closed = `http://127.0.0.1:${await freePort()}`;
  cutOff = await runContainer({ ...QUIET, ...stack.env, DYNAMODB_ENDPOINT: closed, S3_ENDPOINT: closed });
  noIssuer = await runContainer({ ...QUIET, ...stack.env, AUTH_JWKS_URL: `${closed}/.well-known/jwks.json` });
});
afterAll(async () => {
  await Promise.all([live?.shutdown(), cutOff?.shutdown(), noIssuer?.shutdown()]);
  stack.close();
});

describe('container with DynamoDB Local and s3rver', () => {
  const call = client(() => live.url, () => TOKEN);

  it('stores attachment bytes through the presigned URLs and deletes them with their task', async () => {
    const task = (await call('POST', '/v1/tasks', { body: { title: 'with a file' } })).json;
    const bytes = Buffer.from('attachment body');
    const created = (await call('POST', `/v1/tasks/${task.id}/attachments`, { body: { filename: 'a.txt', contentType: 'text/plain', size: bytes.length } })).json;
    const upload = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: bytes });
    expect(upload.status).toBe(200);
    const [listed] = (await call('GET', `/v1/tasks/${task.id}/attachments`)).json.items;
    expect(Buffer.from(await (await fetch(listed.downloadUrl)).arrayBuffer())).toEqual(bytes);

    expect((await call('DELETE', `/v1/tasks/${task.id}`)).status).toBe(204);

    const key = `tenants/alice/tasks/${task.id}/${created.attachment.id}`;
    await expect(stack.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: key }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});

describe('container whose DynamoDB and S3 are unreachable', () => {
  const call = client(() => cutOff.url, () => TOKEN);

  it('answers task routes 503 with Retry-After, never 500', async () => {
    const reply = await call('GET', '/v1/tasks');
    expectProblem(reply, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
    expectProblem(await call('POST', '/v1/tasks', { body: { title: 'lost?' } }), 503);
  });

  it('fails readiness naming both checks while liveness stays up', async () => {
    const ready = await call('GET', '/readyz');
    expectProblem(ready, 503, 'NOT_READY');
    expect(ready.json.checks).toEqual({ table: 'failed', bucket: 'failed' });
    expect((await call('GET', '/healthz')).status).toBe(200);
  });
});

describe("container whose token issuer's keys cannot be fetched", () => {
  const call = client(() => noIssuer.url, () => TOKEN);

  it('answers protected routes 503 with Retry-After, not 401, and keeps public routes up', async () => {
    const reply = await call('GET', '/v1/tasks');
    expectProblem(reply, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('POST', '/v1', { body: { data: 'up' } })).json).toBe('PU');
  });

  it('still answers a request without a token 401', async () => {
    expectProblem(await client(() => noIssuer.url)('GET', '/v1/tasks'), 401, 'UNAUTHENTICATED');
  });
});
