import { describe, expect, it, vi } from 'vitest';
import { createMemoryBlobStore } from '../../core/adapters/memory-blob-store.js';
import { createMemoryTaskStore } from '../../core/adapters/memory-task-store.js';
import { createUlidIds } from '../../core/adapters/system.js';
import { loadConfig } from '../../core/config.js';
import { createFullHttpHandler } from '../../core/http/all-routes.js';
import { createHttpHandler } from '../../core/http/handler.js';
import { ROUTE_SPECS } from '../../core/http/specs.js';
import type { HttpRequest } from '../../core/http/types.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import { localAuth, OFFLINE_AUTH_ENV } from '../support/auth.js';
import { makeClock } from '../support/fixtures.js';

const auth = await localAuth();
const AUTHORIZATION = `Bearer ${await auth.token('alice')}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function makeHandler(logger: Logger = silentLogger) {
  const clock = makeClock();
  return createFullHttpHandler({
    config: loadConfig({ STORE: 'memory', ...OFFLINE_AUTH_ENV }, 'container'),
    store: createMemoryTaskStore({ clock }),
    blobs: createMemoryBlobStore({ clock }),
    clock,
    ids: createUlidIds(),
    logger,
    authenticator: auth.authenticator,
  });
}

function makeRequest(method: string, path: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return { method, path, query: {}, ...overrides, headers: { authorization: AUTHORIZATION, ...overrides.headers } };
}

const bodyOf = (response: { body?: string }) => JSON.parse(response.body ?? 'null') as Record<string, unknown>;

async function createTask(handler: ReturnType<typeof makeHandler>, title = 'Write the report') {
  const response = await handler.handle(
    makeRequest('POST', '/v1/tasks', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) }),
  );
  return bodyOf(response) as { id: string; title: string };
}

describe('createHttpHandler', () => {
  describe('routing', () => {
    it('answers an unknown path with a 404 problem', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/nowhere'));

      // Assess
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(bodyOf(response)).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    });

    it('answers a known path with the wrong method with 405', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('PUT', '/v1/tasks'));

      // Assess
      expect(response.status).toBe(405);
      expect(bodyOf(response)).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    });

    it('lists the path’s methods, HEAD and OPTIONS in Allow on 405', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('PUT', '/v1/tasks'));

      // Assess
      expect(response.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    });

    it('leaves HEAD out of Allow when the path has no GET', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/v1'));

      // Assess
      expect(response.headers.allow?.split(', ').sort()).toEqual(['OPTIONS', 'POST']);
    });

    it('answers OPTIONS with 204 and Allow', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('OPTIONS', '/v1/tasks/01HZX3Y8V0000000000000000A'));

      // Assess
      expect(response.status).toBe(204);
      expect(response.headers.allow?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH']);
      expect(response.body).toBeUndefined();
    });

    it('answers OPTIONS on an unknown path with 404', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('OPTIONS', '/nowhere'));

      // Assess
      expect(response.status).toBe(404);
    });

    it('answers HEAD on a GET route with the GET status and no body', async () => {
      // Prepare
      const handler = makeHandler();
      const get = await handler.handle(makeRequest('GET', '/healthz'));

      // Act
      const head = await handler.handle(makeRequest('HEAD', '/healthz'));

      // Assess
      expect(head.status).toBe(get.status);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.body).toBeUndefined();
    });

    it('answers HEAD on a missing task with 404 and no body', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('HEAD', '/v1/tasks/01HZX3Y8V0000000000000000A'));

      // Assess
      expect(response.status).toBe(404);
      expect(response.body).toBeUndefined();
    });

    it('matches methods case-insensitively', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('get', '/healthz'));

      // Assess
      expect(response.status).toBe(200);
    });

    it('decodes percent-encoded path parameters', async () => {
      // Prepare
      const handler = makeHandler();
      const task = await createTask(handler);
      const encoded = task.id
        .split('')
        .map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
        .join('');

      // Act
      const response = await handler.handle(makeRequest('GET', `/v1/tasks/${encoded}`));

      // Assess
      expect(response.status).toBe(200);
      expect(bodyOf(response).id).toBe(task.id);
    });

    it('answers a malformed percent-encoding with 404, not 500', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/v1/tasks/%E0%A4%A'));

      // Assess
      expect(response.status).toBe(404);
    });

    it('routes one trailing slash like the path without it', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/v1/tasks/'));

      // Assess
      expect(response.status).toBe(200);
    });

    it('answers two trailing slashes with 404', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/v1/tasks//'));

      // Assess
      expect(response.status).toBe(404);
    });

    it('answers a path parameter that decodes to a slash with 404', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/v1/tasks/a%2Fb'));

      // Assess
      expect(response.status).toBe(404);
    });
  });

  describe('request ids', () => {
    it('echoes a valid x-request-id', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/healthz', { headers: { 'x-request-id': 'abc-123.def_4:5' } }));

      // Assess
      expect(response.headers['x-request-id']).toBe('abc-123.def_4:5');
    });

    it('puts the request id into problem documents', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/nowhere', { headers: { 'x-request-id': 'trace-42' } }));

      // Assess
      expect(bodyOf(response).requestId).toBe('trace-42');
    });

    it('generates a request id when none is given', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/healthz'));

      // Assess
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it.each([
      ['contains spaces', 'has spaces in it'],
      ['is 300 characters long', 'a'.repeat(300)],
      ['contains a newline', 'abc\ndef'],
    ])('replaces an x-request-id that %s with a generated one', async (_name, given) => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/healthz', { headers: { 'x-request-id': given } }));

      // Assess
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it('sets the request id on a 405 too', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('DELETE', '/healthz', { headers: { 'x-request-id': 'trace-7' } }));

      // Assess
      expect(response.headers['x-request-id']).toBe('trace-7');
    });
  });

  describe('fail', () => {
    it('answers an error the transport raised as a problem with a request id', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.fail(new Error('socket hang up'), makeRequest('POST', '/v1/tasks', { headers: { 'x-request-id': 'trace-9' } }));

      // Assess
      expect(response.status).toBe(500);
      expect(response.headers['x-request-id']).toBe('trace-9');
    });
  });

  describe('the access log', () => {
    it('writes one line per request with the route template, status, duration and trace', async () => {
      // Prepare
      const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const handler = createHttpHandler({ handlers: {}, logger });
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

      // Act
      const response = await handler.handle(makeRequest('PUT', '/v1/tasks/abc', { headers: { traceparent, 'x-request-id': 'r-1' } }));

      // Assess
      expect(logger.info).toHaveBeenCalledOnce();
      expect(logger.info).toHaveBeenCalledWith(
        {
          requestId: 'r-1',
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          method: 'PUT',
          route: '/v1/tasks/{id}',
          status: 405,
          durationMs: expect.any(Number),
          tenant: null,
        },
        'request',
      );
      expect(response.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    });

    it('records the request metric with the labels and the duration the access log reports', async () => {
      // Prepare
      const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const record = vi.fn();
      const metrics = { requestStarted: vi.fn(() => record), dependencyCalled: vi.fn(), taskChanged: vi.fn() };
      const handler = createHttpHandler({ handlers: {}, logger, metrics });

      // Act
      await handler.handle(makeRequest('PUT', '/v1/tasks/abc'));

      // Assess
      const [labels, seconds] = record.mock.calls[0]!;
      expect(labels).toEqual({ method: 'PUT', route: '/v1/tasks/{id}', status: 405 });
      expect(Math.round(seconds * 1e6) / 1000).toBe(logger.info.mock.calls[0]![0].durationMs);
    });

    it("logs the verified caller's subject as the tenant, and never the token", async () => {
      // Prepare
      const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const handler = makeHandler(logger);

      // Act
      await handler.handle(makeRequest('GET', '/v1/stats'));

      // Assess
      expect(logger.info).toHaveBeenCalledWith(expect.objectContaining({ route: '/v1/stats', status: 200, tenant: 'alice' }), 'request');
      expect(JSON.stringify(logger.info.mock.calls)).not.toContain(AUTHORIZATION.slice(7));
    });

    it('logs a null route for a path no operation has', async () => {
      // Prepare
      const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const handler = createHttpHandler({ handlers: {}, logger });

      // Act
      await handler.handle(makeRequest('GET', '/nope'));

      // Assess
      expect(logger.info.mock.calls[0]?.[0]).toMatchObject({ route: null, status: 404 });
    });
  });

  describe('unknown errors', () => {
    it('logs a failure inside a route and answers an opaque 500', async () => {
      // Prepare
      const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const clock = makeClock();
      const store = createMemoryTaskStore({ clock });
      const failure = new Error('table exploded: secret-detail');
      store.getStats = async () => {
        throw failure;
      };
      const handler = createFullHttpHandler({
        config: loadConfig({ STORE: 'memory', ...OFFLINE_AUTH_ENV }, 'container'),
        store,
        blobs: createMemoryBlobStore({ clock }),
        clock,
        ids: createUlidIds(),
        logger,
        authenticator: auth.authenticator,
      });

      // Act
      const response = await handler.handle(makeRequest('GET', '/v1/stats'));

      // Assess
      expect(response.status).toBe(500);
      expect(response.body).not.toContain('secret-detail');
      expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ err: failure }), expect.any(String));
    });
  });

  describe('a runtime that binds only some operations', () => {
    it('still answers 404 and 405 from the whole route table', async () => {
      // Prepare
      const handler = createHttpHandler({ handlers: {}, logger: silentLogger });

      // Act
      const missing = await handler.handle(makeRequest('GET', '/nope'));
      const wrongMethod = await handler.handle(makeRequest('PUT', '/v1/tasks'));

      // Assess
      expect(missing.status).toBe(404);
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.allow).toBe('POST, GET, HEAD, OPTIONS');
    });

    it('answers an operation it does not bind with a logged, opaque 500', async () => {
      // Prepare
      const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const handler = createHttpHandler({ handlers: {}, logger });

      // Act
      const response = await handler.handle(makeRequest('GET', '/healthz'));

      // Assess
      expect(response.status).toBe(500);
      expect(logger.error).toHaveBeenCalledOnce();
    });
  });

  describe('the OpenAPI document', () => {
    it('is an OpenAPI 3.1.0 document', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const response = await handler.handle(makeRequest('GET', '/openapi.json'));

      // Assess
      expect(response.status).toBe(200);
      expect(bodyOf(response).openapi).toBe('3.1.0');
    });

    it('defines the Task schema as a component', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const document = bodyOf(await handler.handle(makeRequest('GET', '/openapi.json'))) as {
        components?: { schemas?: Record<string, unknown> };
      };

      // Assess
      expect(document.components?.schemas?.Task).toMatchObject({ type: 'object' });
    });

    it('describes every route of the handler with its method', async () => {
      // Prepare
      const handler = makeHandler();
      const expected = ROUTE_SPECS.map((route) => `${route.method.toLowerCase()} ${route.path}`).sort();

      // Act
      const document = bodyOf(await handler.handle(makeRequest('GET', '/openapi.json'))) as { paths: Record<string, Record<string, unknown>> };

      // Assess
      const documented = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
          .map((method) => `${method} ${path}`),
      );
      expect(documented.sort()).toEqual(expected);
    });

    it('takes its version from the configuration', async () => {
      // Prepare
      const handler = makeHandler();

      // Act
      const document = bodyOf(await handler.handle(makeRequest('GET', '/openapi.json'))) as { info: { version: string } };

      // Assess
      expect(document.info.version).toBe('dev');
    });
  });
});
