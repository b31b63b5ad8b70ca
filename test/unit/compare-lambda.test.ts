import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startLambdaFront } from '../../compare/lambda/front.js';
import { fromHttpApiResult, toHttpApiEvent } from '../../compare/lambda/http-api-event.js';
import { createFunctionPool, type FunctionConfig } from '../../compare/lambda/pool.js';
import { matchRoute, readRoutes } from '../../compare/lambda/routes.js';
import { toHttpRequest } from '../../handlers/http-event.js';

const dir = mkdtempSync(join(tmpdir(), 'duet-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A function that logs a line, waits as long as its event asks and answers with what it saw.
const bundle = join(dir, 'echo.mjs');
writeFileSync(
  bundle,
  `console.log('loaded');
export const handler = async (event) => {
  console.log(JSON.stringify({ path: event.rawPath }));
  await new Promise((resolve) => setTimeout(resolve, Number(event.queryStringParameters?.wait ?? 0)));
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pid: process.pid, memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE }) };
};`,
);
const config: FunctionConfig = { name: 'echo', bundle, exportName: 'handler', memoryMb: 256, timeoutS: 10, env: {} };
const event = (wait = 0) => toHttpApiEvent({ method: 'GET', url: `/echo?wait=${wait}`, headers: { host: 'local' }, body: Buffer.alloc(0), sourceIp: '127.0.0.1' }, 'GET /echo', {});
const pidOf = (outcome: { result?: unknown }) => JSON.parse((outcome.result as { body: string }).body).pid as number;

describe('the routes of serverless/functions-routes.yml', () => {
  const { routes } = readRoutes('serverless/functions-routes.yml');

  it.each([
    ['GET', '/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV', 'tasks', 'GET /v1/tasks/{id}'],
    ['DELETE', '/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV', 'attachments', 'DELETE /v1/tasks/{id}'],
    ['HEAD', '/v1/stats', 'stats', 'HEAD /v1/stats'],
    ['POST', '/v1', 'legacy', 'POST /v1'],
    ['GET', '/v1/tasks/', 'tasks', 'GET /v1/tasks'],
    ['GET', '/nowhere', 'ops', '$default'],
    ['PUT', '/v1/tasks', 'ops', '$default'],
  ])('sends %s %s to %s (route %s)', (method, path, functionName, routeKey) => {
    // Act
    const matched = matchRoute(routes, method, path);

    // Assess
    expect(matched?.route.functionName).toBe(functionName);
    expect(matched?.route.routeKey).toBe(routeKey);
  });

  it('sends every route of the lambdalith to its one function', () => {
    const lambdalith = readRoutes('serverless/functions-lambdalith.yml').routes;
    expect(new Set(lambdalith.map((route) => route.functionName))).toEqual(new Set(['api']));
    expect(matchRoute(lambdalith, 'GET', '/healthz')?.route.routeKey).toBe('$default');
  });
});

describe('the HTTP API event the runner builds', () => {
  it('reads back through the functions’ own translation as the request that was sent', () => {
    // Prepare
    const incoming = {
      method: 'POST',
      url: '/v1/tasks?tag=a&tag=b&limit=5',
      headers: { 'content-type': 'application/json', cookie: 'a=1; b=2', 'x-request-id': 'r-1' },
      body: Buffer.from('{"title":"x"}'),
      sourceIp: '127.0.0.1',
    };

    // Act
    const request = toHttpRequest(toHttpApiEvent(incoming, 'POST /v1/tasks', {}));

    // Assess
    expect(request).toMatchObject({ method: 'POST', path: '/v1/tasks', query: { tag: ['a', 'b'], limit: '5' }, body: '{"title":"x"}' });
    expect(request.headers).toMatchObject({ cookie: 'a=1; b=2', 'x-request-id': 'r-1' });
  });

  it('base64-encodes a body that is not text', () => {
    // Act
    const built = toHttpApiEvent({ method: 'PUT', url: '/x', headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 255, 1]), sourceIp: '::1' }, '$default', {});

    // Assess
    expect(built.isBase64Encoded).toBe(true);
    expect(Buffer.from(built.body!, 'base64')).toEqual(Buffer.from([0, 255, 1]));
  });

  it('turns a result into status, headers, cookies and body', () => {
    // Act
    const response = fromHttpApiResult({ statusCode: 201, headers: { ETag: '"1"' }, cookies: ['s=1'], body: 'aGk=', isBase64Encoded: true });

    // Assess
    expect(response).toEqual({ status: 201, headers: { etag: '"1"', 'set-cookie': ['s=1'] }, body: Buffer.from('hi') });
  });
});

describe('a function’s sandboxes', () => {
  it('starts a sandbox per concurrent request, reuses idle ones, and reaps them when idle too long', async () => {
    // Prepare
    const pool = createFunctionPool(config, { idleMs: 300 });
    try {
      // Act: two at once find no idle sandbox; the third finds one.
      const [first, second] = await Promise.all([pool.invoke(event(200)), pool.invoke(event(200))]);
      const third = await pool.invoke(event());
      const warm = pool.stats();
      await sleep(1500);
      const reaped = pool.stats();
      const fourth = await pool.invoke(event());

      // Assess
      expect([first.coldStart, second.coldStart, third.coldStart]).toEqual([true, true, false]);
      expect(pidOf(first)).not.toBe(pidOf(second));
      expect([pidOf(first), pidOf(second)]).toContain(pidOf(third));
      expect(first.initMs).toBeGreaterThan(0);
      expect(warm).toMatchObject({ invocations: 3, coldStarts: 2, peakSandboxes: 2, live: 2 });
      expect(warm.initMs).toHaveLength(2);
      expect(reaped).toMatchObject({ reaped: 2, live: 0 });
      expect(fourth.coldStart).toBe(true);
    } finally {
      await pool.stop();
    }
  });

  it('counts the function’s log and writes Lambda’s START, END and REPORT lines for each invocation', async () => {
    // Prepare
    const pool = createFunctionPool(config);
    try {
      // Act
      await pool.invoke(event());
      await pool.invoke(event());
      await sleep(200);
      const stats = pool.stats();

      // Assess: 'loaded' once, one JSON line per invocation.
      expect(stats.functionLogLines).toBe(3);
      expect(stats.functionLogBytes).toBe('loaded\n'.length + 2 * `${JSON.stringify({ path: '/echo' })}\n`.length);
      expect(stats.platformLogBytes).toBeGreaterThan(2 * 200);
    } finally {
      await pool.stop();
    }
  });

  it('makes a request wait for a free sandbox at the local cap rather than start another', async () => {
    // Prepare
    const pool = createFunctionPool(config, { maxSandboxes: 1 });
    try {
      // Act
      const outcomes = await Promise.all([pool.invoke(event(100)), pool.invoke(event(100))]);

      // Assess
      expect(outcomes.map((outcome) => outcome.queued)).toEqual([false, true]);
      expect(pool.stats()).toMatchObject({ coldStarts: 1, queued: 1, live: 1 });
    } finally {
      await pool.stop();
    }
  });
});

describe('the local HTTP API front', () => {
  it('routes a request to its function’s sandbox and answers 404 where no route matches', async () => {
    // Prepare
    const front = await startLambdaFront({ functions: [config], routes: [{ routeKey: 'GET /echo', method: 'GET', segments: ['echo'], functionName: 'echo' }] });
    try {
      // Act
      const hit = await fetch(`${front.url}/echo`);
      const miss = await fetch(`${front.url}/other`);

      // Assess
      expect(hit.status).toBe(200);
      expect(await hit.json()).toMatchObject({ memory: '256' });
      expect(miss.status).toBe(404);
      expect(await miss.json()).toEqual({ message: 'Not Found' });
      expect(front.stats().echo).toMatchObject({ invocations: 1, coldStarts: 1 });
    } finally {
      await front.stop();
    }
  });
});
