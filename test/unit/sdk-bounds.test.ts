import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBlobStore } from '../../wiring/blob-store.js';
import { DEPENDENCY_STALL_BOUND_MS, SDK_CLIENT_OPTIONS } from '../../wiring/sdk.js';
import { createTaskStore } from '../../wiring/task-store.js';
import { loadConfig } from '../../core/config.js';
import { DependencyUnavailableError } from '../../core/domain/errors.js';
import { checkReadiness } from '../../core/use-cases/readiness.js';
import { OFFLINE_AUTH_ENV } from '../support/auth.js';
import { watchEventLoopLag } from '../support/event-loop-lag.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

// The SDK clients the composition roots build (wiring/task-store.ts, wiring/blob-store.ts),
// against loopback servers that accept and never answer: every call gives up within the bound,
// and nothing of it outlives the answer (no socket left open, no retry still to come).

/** What a test registers to run when it ends (tests here run concurrently, so no shared afterEach). */
type OnFinished = (cleanup: () => void | Promise<void>) => void;

/** A dependency that accepts connections and never answers (a proxy stalled from the start). */
async function silentDependency(onFinished: OnFinished): Promise<TcpProxy> {
  const proxy = await startTcpProxy('http://127.0.0.1:9', { stalled: true });
  onFinished(() => proxy.stop());
  return proxy;
}

/** A dependency that answers a response's headers and then never sends its body. */
async function headersOnlyDependency(onFinished: OnFinished) {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 100\r\n\r\n{'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, open: () => sockets.size };
}

function configFor(endpoint: string) {
  return loadConfig(
    { ...OFFLINE_AUTH_ENV, TABLE_NAME: 'duet', BUCKET_NAME: 'duet', AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: endpoint, S3_ENDPOINT: endpoint },
    'container',
  );
}

/**
 * Settles `promise`, with how long it took and the bound it had to meet: the stated one plus how
 * late this process's timers ran meanwhile. Still pending after 15 s, it fails the test instead of
 * hanging it.
 */
async function timed(promise: Promise<unknown>) {
  const started = Date.now();
  const lag = watchEventLoopLag();
  const guard = sleep(15_000).then(() => 'still pending after 15 s');
  const outcome = await Promise.race([promise.then(() => 'resolved', (error: unknown) => error), guard]);
  return { outcome, ms: Date.now() - started, bound: DEPENDENCY_STALL_BOUND_MS + lag.stop() };
}

describe.concurrent('SDK calls against a stalled dependency', () => {
  it('give up on a DynamoDB that never answers within the bound, retrying meanwhile, and leave no socket open nor retry to come', async ({ onTestFinished }) => {
    const dynamo = await silentDependency(onTestFinished);
    const store = createTaskStore(configFor(dynamo.endpoint));
    onTestFinished(() => store.close());

    const { outcome, ms, bound } = await timed(store.value.getTask('alice', '01J0000000000000000000000A'));
    await sleep(300);
    const attempts = dynamo.accepted();
    await sleep(SDK_CLIENT_OPTIONS.requestHandler.requestTimeout);

    expect(outcome).toBeInstanceOf(DependencyUnavailableError);
    expect(ms).toBeLessThan(bound);
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(SDK_CLIENT_OPTIONS.maxAttempts);
    expect(dynamo.accepted()).toBe(attempts);
    expect(dynamo.open()).toBe(0);
  });

  // The attempts' own timeout ends when the headers arrive: only the call's deadline cuts this one.
  it('cut a response whose body never comes within the bound, and close its socket', async ({ onTestFinished }) => {
    const dynamo = await headersOnlyDependency(onTestFinished);
    const store = createTaskStore(configFor(dynamo.endpoint));
    onTestFinished(() => store.close());

    const { outcome, ms, bound } = await timed(store.value.getStats('alice'));
    await sleep(300);

    expect(outcome).toBeInstanceOf(DependencyUnavailableError);
    expect(ms).toBeLessThan(bound);
    expect(dynamo.open()).toBe(0);
  });

  it('give up on an S3 that never answers within the bound, leaving no socket open', async ({ onTestFinished }) => {
    const s3 = await silentDependency(onTestFinished);
    const blobs = createBlobStore(configFor(s3.endpoint));
    onTestFinished(() => blobs.close());

    const { outcome, ms, bound } = await timed(blobs.value.deleteObjects(['tenants/alice/tasks/1/a']));
    await sleep(300);

    expect(outcome).toBeInstanceOf(DependencyUnavailableError);
    expect(ms).toBeLessThan(bound);
    expect(s3.open()).toBe(0);
  });

  it('cancel the readiness checks still running at their timeout: no attempt left open, none started later', async ({ onTestFinished }) => {
    const stalled = await silentDependency(onTestFinished);
    const config = configFor(stalled.endpoint);
    const store = createTaskStore(config);
    const blobs = createBlobStore(config);
    onTestFinished(() => {
      store.close();
      blobs.close();
    });

    const result = await checkReadiness({ store: store.value, blobs: blobs.value, draining: () => false });
    await sleep(300);
    const attempts = stalled.accepted();
    await sleep(SDK_CLIENT_OPTIONS.requestHandler.requestTimeout);

    expect(result.checks).toEqual({ table: 'timeout', bucket: 'timeout' });
    expect(stalled.open()).toBe(0);
    expect(stalled.accepted()).toBe(attempts);
  });
});
