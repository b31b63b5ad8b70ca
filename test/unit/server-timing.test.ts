import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createHttpHandler } from '../../core/http/handler.js';
import { buildOpenApi } from '../../core/http/openapi.js';
import { json } from '../../core/http/response.js';
import type { HttpRequest } from '../../core/http/types.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { addInitTiming } from '../../handlers/init-timing.js';

const APP_TIMING = /^app;dur=(\d+\.\d{3})$/;
const request = (method: string, path: string): HttpRequest => ({ method, path, query: {}, headers: {} });
const durationOf = (header: string | undefined) => Number(APP_TIMING.exec(header ?? '')?.[1]);

describe('Server-Timing', () => {
  it('says how long the service spent on a request, its own work included', async () => {
    // Prepare
    const handler = createHttpHandler({
      handlers: { getHealth: async () => (await sleep(30), json(200, { status: 'ok' })) },
      logger: silentLogger,
    });

    // Act
    const response = await handler.handle(request('GET', '/healthz'));

    // Assess
    expect(response.headers['server-timing']).toMatch(APP_TIMING);
    expect(durationOf(response.headers['server-timing'])).toBeGreaterThanOrEqual(29);
  });

  it('counts the access-log line the request writes', async () => {
    // Prepare
    const slowLog: Logger = { ...silentLogger, info: () => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30) };
    const handler = createHttpHandler({ handlers: { getHealth: async () => json(200, { status: 'ok' }) }, logger: slowLog });

    // Act
    const response = await handler.handle(request('GET', '/healthz'));

    // Assess
    expect(durationOf(response.headers['server-timing'])).toBeGreaterThanOrEqual(29);
  });

  it.each([
    ['an unknown route', 'GET', '/nowhere', 404],
    ['a wrong method', 'PUT', '/healthz', 405],
    ['a preflight', 'OPTIONS', '/healthz', 204],
    ['HEAD', 'HEAD', '/healthz', 200],
    ['an operation this runtime does not bind', 'GET', '/readyz', 500],
  ])('is on %s too', async (_name, method, path, status) => {
    // Prepare
    const handler = createHttpHandler({ handlers: { getHealth: async () => json(200, { status: 'ok' }) }, logger: silentLogger });

    // Act
    const response = await handler.handle(request(method, path));

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers['server-timing']).toMatch(APP_TIMING);
  });

  it('is documented on every response of every operation in the OpenAPI document', () => {
    // Act
    const document = buildOpenApi({ version: 'test' }) as unknown as { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>> };

    // Assess
    const responses = Object.values(document.paths).flatMap((operations) => Object.values(operations).flatMap((operation) => Object.values(operation.responses)));
    expect(responses.length).toBeGreaterThan(40);
    for (const response of responses) expect(response.headers).toHaveProperty('server-timing');
  });
});

describe('init timing on Lambda', () => {
  it('adds init;dur to what the core measured', () => {
    // Prepare
    const headers: Record<string, unknown> = { 'server-timing': 'app;dur=1.250' };

    // Act
    addInitTiming(headers, 180.5);

    // Assess
    expect(headers['server-timing']).toBe('app;dur=1.250, init;dur=180.500');
  });

  it('adds nothing on a warm invocation', () => {
    // Prepare
    const headers: Record<string, unknown> = { 'server-timing': 'app;dur=1.250' };

    // Act
    addInitTiming(headers, undefined);

    // Assess
    expect(headers['server-timing']).toBe('app;dur=1.250');
  });
});
