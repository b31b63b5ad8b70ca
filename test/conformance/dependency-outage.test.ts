import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../../container/main.js';
import { DEPENDENCY_STALL_BOUND_MS } from '../../wiring/sdk.js';
import { ensureTable, freePort, type RunningService, startDynamoDbLocal } from '../../scripts/local-stack.js';
import { startOffline } from '../../scripts/offline.js';
import { devIssuer } from '../support/auth.js';
import { freshStack } from '../support/stack.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { client, expectProblem, type Call, type Reply } from './client.js';

/**
 * DynamoDB and S3 failing under the running service, on the container and on serverless-offline
 * (per-route functions and the lambdalith): DynamoDB Local's own process stalled (SIGSTOP: the
 * kernel still accepts connections, nothing answers) and then killed, and S3 behind a proxy that
 * stops forwarding. A request that needs the failing dependency answers within the bound the
 * README states, /healthz stays up, nothing written before is lost, and the service recovers
 * by itself. This file starts its own DynamoDB Local, so stopping it hurts no other test.
 */
const stack = await freshStack();
const dataDir = mkdtempSync(join(tmpdir(), 'duet-outage-'));
const port = await freePort();
let dynamo: (RunningService & { pid: number }) | undefined;
let s3: TcpProxy | undefined;
const startDynamo = async () => {
  dynamo = await startDynamoDbLocal({ port, dbPath: dataDir });
};
const targets: { name: string; url: string; stop(): Promise<unknown> }[] = [];

beforeAll(async () => {
  await startDynamo();
  await ensureTable(dynamo!.endpoint, stack.tableName);
  s3 = await startTcpProxy(stack.s3Endpoint);
  const env = { ...stack.env, DYNAMODB_ENDPOINT: dynamo!.endpoint, S3_ENDPOINT: s3.endpoint, LOG_LEVEL: 'silent' };
  const container = await runContainer({ ...env, HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0' });
  targets.push({ name: 'container', url: container.url, stop: () => container.shutdown() });
  // One after the other: each builds its bundles first, and two builds at once starve a 2-core machine.
  const routes = await startOffline({ stage: 'local', env });
  targets.push({ name: 'serverless-offline, per-route functions', url: routes.endpoint, stop: () => routes.stop() });
  const lambdalith = await startOffline({ stage: 'local-lambdalith', env });
  targets.push({ name: 'serverless-offline, lambdalith', url: lambdalith.endpoint, stop: () => lambdalith.stop() });
  // Twice: on a loaded machine a first cold start can outlast the function's timeout, and
  // serverless-offline then discards that instance.
  for (let round = 0; round < 2; round++) await eachTarget((call, name) => duringFailure(call, name, warmUp));
}, 300_000);

afterAll(async () => {
  await Promise.allSettled(targets.map((target) => target.stop()));
  await Promise.allSettled([dynamo?.stop(), s3?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
  stack.close();
});

type Request = [method: string, path: string, options?: Parameters<Call>[2]];
type Timed = { reply: Reply; ms: number; label: string };

/** A reply and how long it took; a request still unanswered after 15 s fails the test rather than hanging it. */
async function timed(call: Call, label: string, [method, path, options]: Request): Promise<Timed> {
  const started = Date.now();
  const guard = sleep(15_000).then((): Reply => ({ status: 0, headers: new Headers(), text: 'no answer within 15 s', json: undefined }));
  const reply = await Promise.race([call(method, path, options), guard]);
  return { reply, ms: Date.now() - started, label: `${label}: ${method} ${path}` };
}

const GHOST_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** Per target: a task to keep, with an attachment whose bytes are in S3, and a task (with one attachment) to try to delete. */
async function prepare(call: Call) {
  const kept = (await call('POST', '/v1/tasks', { body: { title: 'written before', tags: ['kept'] } })).json;
  const bytes = Buffer.from(`the bytes of ${kept.id}`);
  const registered = (await call('POST', `/v1/tasks/${kept.id}/attachments`, { body: { filename: 'kept.txt', contentType: 'text/plain', size: bytes.length } })).json;
  expect((await fetch(registered.upload.url, { method: 'PUT', headers: registered.upload.headers, body: bytes })).status).toBe(200);
  const doomed = (await call('POST', '/v1/tasks', { body: { title: 'to delete' } })).json;
  const spare = (await call('POST', `/v1/tasks/${doomed.id}/attachments`, { body: { filename: 'spare.txt', contentType: 'text/plain', size: 1 } })).json.attachment;
  return { kept, attachment: registered.attachment, bytes, doomed, spare };
}
type Fixture = Awaited<ReturnType<typeof prepare>>;

/**
 * Every operation that needs the table. None writes to `kept` unless its read succeeds first, so
 * `kept` must come through unchanged; writes aimed elsewhere may still land once DynamoDB wakes
 * (a 503 after a timeout does not say the write was not applied).
 */
const needingTable = ({ kept, doomed, spare }: Pick<Fixture, 'kept' | 'doomed' | 'spare'>): Request[] => [
  ['GET', `/v1/tasks/${kept.id}`],
  ['GET', '/v1/tasks?limit=5'],
  ['GET', '/v1/stats'],
  ['GET', `/v1/tasks/${kept.id}/attachments`],
  ['POST', '/v1/tasks', { body: { title: 'during the outage' } }],
  ['PATCH', `/v1/tasks/${kept.id}`, { raw: '{"title":"changed during the outage"}', headers: { 'content-type': 'application/merge-patch+json' } }],
  ['DELETE', `/v1/tasks/${doomed.id}`],
  ['POST', `/v1/tasks/${doomed.id}/attachments`, { body: { filename: 'late.txt', contentType: 'text/plain', size: 1 } }],
  ['DELETE', `/v1/tasks/${doomed.id}/attachments/${spare.id}`],
];
/**
 * The same operations on ids that do not exist, and /healthz: run first the way the failure is
 * probed, so every Lambda instance the test will use is already warm.
 */
const warmUp: Request[] = [
  ...needingTable({ kept: { id: GHOST_ID }, doomed: { id: GHOST_ID }, spare: { id: GHOST_ID } }),
  ['GET', '/healthz'],
  ['POST', '/v1', { body: { data: 'warm' } }],
];

/** Runs `run` on every target at once; `index` is the target's, for fixtures made by an earlier eachTarget. */
async function eachTarget<T>(run: (call: Call, name: string, index: number) => Promise<T>): Promise<T[]> {
  const token = await devIssuer().token('alice');
  return Promise.all(targets.map((target, index) => run(client(() => target.url, () => token), target.name, index)));
}

/**
 * Sends `requests` one after the other, timed, while probing GET /healthz (which needs nothing)
 * on the same target. The slowest probe is what the machine's load adds to any answer at that
 * moment: a request may take the bound plus that, so the test holds on a loaded machine and still
 * fails on a service that waits for the dependency. One at a time, because serverless-offline
 * starts a new function instance for each concurrent request, and a cold start is not the
 * dependency's doing.
 */
async function duringFailure(call: Call, name: string, requests: Request[]) {
  let done = false;
  let lag = 0;
  const probing = (async () => {
    while (!done) {
      const started = Date.now();
      await call('GET', '/healthz');
      lag = Math.max(lag, Date.now() - started);
      await sleep(250);
    }
  })();
  const replies: Timed[] = [];
  for (const request of requests) replies.push(await timed(call, name, request));
  done = true;
  await probing;
  return replies.map((reply) => ({ ...reply, limit: DEPENDENCY_STALL_BOUND_MS + lag }));
}

function expectUnavailableInTime({ reply, ms, label, limit }: Timed & { limit: number }) {
  expect(reply.status, label).toBe(503);
  expectProblem(reply, 503, 'DEPENDENCY_UNAVAILABLE');
  expect(reply.headers.get('retry-after'), label).toMatch(/^\d+$/);
  expect(ms, `${label} (bound plus /healthz's slowest: ${limit} ms)`).toBeLessThan(limit);
}

/** After the dependency is back: `kept` reads back unchanged, its attachment's bytes included, and the service is ready. */
async function expectRecovered(call: Call, name: string, { kept, attachment, bytes }: Fixture) {
  let reply: Reply | undefined;
  for (const deadline = Date.now() + 30_000; reply?.status !== 200 && Date.now() < deadline; ) {
    reply = await call('GET', `/v1/tasks/${kept.id}`);
    if (reply.status !== 200) await sleep(250);
  }
  expect(reply!.status, `${name} recovered`).toBe(200);
  expect(reply!.json, name).toEqual(kept);
  const listed = await call('GET', `/v1/tasks/${kept.id}/attachments`);
  expect(listed.json.items, name).toEqual([{ ...attachment, downloadUrl: expect.any(String), downloadExpiresAt: expect.any(String) }]);
  expect(Buffer.from(await (await fetch(listed.json.items[0].downloadUrl)).arrayBuffer()), name).toEqual(bytes);
  expect((await call('POST', '/v1/tasks', { body: { title: 'after the outage' } })).status, name).toBe(201);
  expect((await call('GET', '/readyz')).status, name).toBe(200);
}

describe('a stalled DynamoDB (its process stopped with SIGSTOP)', () => {
  it('answers every request that needs the table 503 with Retry-After within the bound, keeps /healthz up, and loses nothing', async () => {
    const fixtures = await eachTarget((call) => prepare(call));
    await eachTarget((call, name) => duringFailure(call, name, warmUp));

    process.kill(dynamo!.pid, 'SIGSTOP');
    try {
      const replies = await eachTarget((call, name, index) => duringFailure(call, name, needingTable(fixtures[index]!)));
      for (const reply of replies.flat()) expectUnavailableInTime(reply);
      await eachTarget(async (call, name) => {
        expect((await call('GET', '/healthz')).status, name).toBe(200);
        expect((await call('POST', '/v1', { body: { data: 'still up' } })).json, name).toBe('PU LLITS');
        const ready = await call('GET', '/readyz');
        expectProblem(ready, 503, 'NOT_READY');
        expect(ready.json.checks, name).toEqual({ table: 'timeout', bucket: 'ok' });
      });
    } finally {
      process.kill(dynamo!.pid, 'SIGCONT');
    }

    await eachTarget((call, name, index) => expectRecovered(call, name, fixtures[index]!));
  }, 180_000);
});

describe('a stalled S3 (a proxy that stops forwarding)', () => {
  it('answers deletes 204 within the bound (the object removal is logged), serves reads that need no S3 call, and names the bucket in readiness', async () => {
    const fixtures = await eachTarget((call) => prepare(call));
    const needingBucket = ({ doomed, spare }: Pick<Fixture, 'doomed' | 'spare'>): Request[] => [
      ['DELETE', `/v1/tasks/${doomed.id}/attachments/${spare.id}`],
      ['DELETE', `/v1/tasks/${doomed.id}`],
    ];
    const warmUpBucket: Request[] = [...needingBucket({ doomed: { id: GHOST_ID }, spare: { id: GHOST_ID } }), ['GET', '/healthz']];
    await eachTarget((call, name) => duringFailure(call, name, warmUpBucket));

    s3!.stall();
    try {
      const replies = await eachTarget((call, name, index) => duringFailure(call, name, needingBucket(fixtures[index]!)));
      for (const { reply, ms, label, limit } of replies.flat()) {
        expect(reply.status, label).toBe(204);
        expect(ms, `${label} (bound plus /healthz's slowest: ${limit} ms)`).toBeLessThan(limit);
      }
      await eachTarget(async (call, name, index) => {
        const { kept } = fixtures[index]!;
        expect((await call('GET', `/v1/tasks/${kept.id}/attachments`)).status, name).toBe(200);
        expect((await call('GET', '/healthz')).status, name).toBe(200);
        const ready = await call('GET', '/readyz');
        expectProblem(ready, 503, 'NOT_READY');
        expect(ready.json.checks, name).toEqual({ table: 'ok', bucket: 'timeout' });
      });
    } finally {
      s3!.resume();
    }

    await eachTarget((call, name, index) => expectRecovered(call, name, fixtures[index]!));
  }, 180_000);
});

describe('a DynamoDB outage (its process killed, then started again)', () => {
  it('answers 503 with Retry-After while DynamoDB is down, and recovers by itself when it is back', async () => {
    const fixtures = await eachTarget((call) => prepare(call));
    await eachTarget((call, name) => duringFailure(call, name, warmUp));

    await dynamo!.stop();
    const replies = await eachTarget((call, name, index) => duringFailure(call, name, needingTable(fixtures[index]!)));
    for (const reply of replies.flat()) expectUnavailableInTime(reply);
    await eachTarget(async (call, name) => {
      const ready = await call('GET', '/readyz');
      expectProblem(ready, 503, 'NOT_READY');
      expect(ready.json.checks.table, name).toBe('failed');
      expect((await call('GET', '/healthz')).status, name).toBe(200);
    });

    await startDynamo();
    await eachTarget((call, name, index) => expectRecovered(call, name, fixtures[index]!));
  }, 180_000);
});
