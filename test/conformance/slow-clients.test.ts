import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../container/app.js';
import { expressMessages } from '../../container/express-messages.js';
import { SERVER_LIMITS, startServer, type ServerLimits } from '../../container/server.js';
import { createMemoryBlobStore } from '../../core/adapters/memory-blob-store.js';
import { createMemoryTaskStore } from '../../core/adapters/memory-task-store.js';
import { createUlidIds, systemClock } from '../../core/adapters/system.js';
import { loadConfig } from '../../core/config.js';
import { createFullHttpHandler } from '../../core/http/all-routes.js';
import { silentLogger } from '../../core/ports/logger.js';
import { localAuth, OFFLINE_AUTH_ENV } from '../support/auth.js';
import { watchEventLoopLag } from '../support/event-loop-lag.js';

// The container's real server (container/server.ts with the app and the core on the memory
// store) against clients that send too slowly or too much. Small limits are injected so the test
// is fast; the last test holds the defaults to the values the README documents.

const SMALL: ServerLimits = { headersTimeoutMs: 500, requestTimeoutMs: 3000, connectionsCheckingIntervalMs: 100, keepAliveTimeoutMs: 8000, maxConnections: 4 };
/** What may pass between a timeout and the cut beyond this process's own lateness: Node checks every connectionsCheckingIntervalMs. */
const SLACK_MS = 1000;
/** Longer than any of the small limits: a client still connected by then was never cut. */
const NEVER_MS = 15_000;

type OnFinished = (cleanup: () => void | Promise<void>) => void;

/** Starts the server; with `statsDelayMs`, GET /v1/stats answers only after that long (a slow dependency). */
async function serve(onFinished: OnFinished, limits?: Partial<ServerLimits>, statsDelayMs = 0) {
  const auth = await localAuth();
  const config = loadConfig({ ...OFFLINE_AUTH_ENV, STORE: 'memory' }, 'container');
  const memory = createMemoryTaskStore({ clock: systemClock });
  const store = { ...memory, getStats: async (tenant: string) => (await sleep(statsDelayMs), memory.getStats(tenant)) };
  const handler = createFullHttpHandler({
    config,
    store,
    blobs: createMemoryBlobStore({ clock: systemClock }),
    clock: systemClock,
    ids: createUlidIds(),
    logger: silentLogger,
    authenticator: auth.authenticator,
  });
  const app = createApp({ handler });
  const running = await startServer(app, { port: 0, host: '127.0.0.1', logger: silentLogger, messages: expressMessages(app), ...(limits && { limits }) });
  onFinished(async () => {
    running.server.closeAllConnections();
    await running.shutdown();
  });
  return { ...running, port: Number(new URL(running.url).port), token: await auth.token('alice') };
}

/**
 * Opens a connection, lets `talk` write to it, and collects what the server sends until the
 * server closes it (or NEVER_MS passes: then `closed` is false), with how late this process's
 * timers ran meanwhile (`lag`, ms).
 */
async function exchange(port: number, talk: (socket: Socket) => unknown) {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const watch = watchEventLoopLag();
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  socket.on('error', () => {});
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  void talk(socket);
  const outcome = await Promise.race([closed, sleep(NEVER_MS).then(() => false)]);
  const ms = Date.now() - started;
  const lag = watch.stop();
  socket.destroy();
  return { closed: outcome, ms, lag, received };
}

/** Writes `line` every 100 ms until the socket closes: a client that never finishes. */
async function trickle(socket: Socket, line: string) {
  while (!socket.destroyed) {
    socket.write(line);
    await sleep(100);
  }
}

const HEAD = 'POST /v1 HTTP/1.1\r\nHost: duet.test\r\nContent-Type: application/json\r\n';

describe.concurrent('the container server, against slow clients', () => {
  it('answers 408 and closes a connection whose Content-Length is never satisfied, at the request timeout', async ({ onTestFinished }) => {
    const { port } = await serve(onTestFinished, SMALL);

    const cut = await exchange(port, (socket) => socket.write(`${HEAD}Content-Length: 100\r\n\r\n{"data":"he`));

    expect(cut.closed).toBe(true);
    expect(cut.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(cut.ms).toBeGreaterThanOrEqual(SMALL.requestTimeoutMs - SMALL.connectionsCheckingIntervalMs);
    expect(cut.ms).toBeLessThan(SMALL.requestTimeoutMs + SLACK_MS + cut.lag);
  });

  it('answers 408 and closes a chunked body that never ends, at the request timeout, even while bytes keep coming', async ({ onTestFinished }) => {
    const { port } = await serve(onTestFinished, SMALL);

    const cut = await exchange(port, async (socket) => {
      socket.write(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`);
      await trickle(socket, '1\r\n \r\n');
    });

    expect(cut.closed).toBe(true);
    expect(cut.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(cut.ms).toBeGreaterThanOrEqual(SMALL.requestTimeoutMs - SMALL.connectionsCheckingIntervalMs);
    expect(cut.ms).toBeLessThan(SMALL.requestTimeoutMs + SLACK_MS + cut.lag);
  });

  it('answers 408 and closes a client that sends its headers slowly, at the headers timeout', async ({ onTestFinished }) => {
    // A long request timeout, so a cut before it can only be the headers timeout.
    const limits = { ...SMALL, requestTimeoutMs: 10_000 };
    const { port } = await serve(onTestFinished, limits);

    const cut = await exchange(port, async (socket) => {
      socket.write(HEAD);
      await trickle(socket, 'X-Slow: 1\r\n');
    });

    expect(cut.closed).toBe(true);
    expect(cut.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(cut.ms).toBeGreaterThanOrEqual(limits.headersTimeoutMs - limits.connectionsCheckingIntervalMs);
    expect(cut.ms).toBeLessThan(Math.min(limits.headersTimeoutMs + SLACK_MS + cut.lag, limits.requestTimeoutMs));
  });

  it('keeps an idle keep-alive connection open past both timeouts, for the next request', async ({ onTestFinished }) => {
    const { port } = await serve(onTestFinished, SMALL);
    const request = `${HEAD}Content-Length: 13\r\n\r\n{"data":"ok"}`;

    const idle = await exchange(port, async (socket) => {
      socket.write(request);
      await sleep(SMALL.requestTimeoutMs + 1000);
      socket.write(request);
      await sleep(1000);
      socket.end();
    });

    expect(idle.received.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    expect(idle.received).not.toContain(' 408 ');
  });

  it('answers a request received in time even when the app takes longer than the request timeout', async ({ onTestFinished }) => {
    const { port, token } = await serve(onTestFinished, SMALL, SMALL.requestTimeoutMs + 1000);

    const slow = await exchange(port, (socket) => socket.write(`GET /v1/stats HTTP/1.1\r\nHost: duet.test\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`));

    expect(slow.closed).toBe(true);
    expect(slow.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('refuses connections beyond its cap at accept, and serves again once one closes', async ({ onTestFinished }) => {
    const { port } = await serve(onTestFinished, SMALL);
    const held = await Promise.all(
      Array.from({ length: SMALL.maxConnections }, async () => {
        const socket = connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        return socket;
      }),
    );
    onTestFinished(() => held.forEach((socket) => socket.destroy()));
    await sleep(200);
    const legacy = (socket: Socket) => socket.write(`${HEAD}Content-Length: 13\r\nConnection: close\r\n\r\n{"data":"ok"}`);

    const refused = await exchange(port, legacy);
    held.pop()!.destroy();
    await sleep(200);
    const served = await exchange(port, legacy);

    expect(refused).toMatchObject({ closed: true, received: '' });
    expect(served.received).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('the container server by default', () => {
  it('uses the limits the README documents: 10 s for headers, 20 s for a request, 65 s keep-alive, 1000 connections', async ({ onTestFinished }) => {
    const { server } = await serve(onTestFinished);

    expect({ headers: server.headersTimeout, request: server.requestTimeout, keepAlive: server.keepAliveTimeout, connections: server.maxConnections }).toEqual({
      headers: 10_000,
      request: 20_000,
      keepAlive: 65_000,
      connections: 1000,
    });
    expect(SERVER_LIMITS.connectionsCheckingIntervalMs).toBe(1000);
  });
});
