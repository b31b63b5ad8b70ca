import { once } from 'node:events';
import { createServer, IncomingMessage, ServerResponse, type IncomingHttpHeaders, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../container/app.js';
import { expressMessages, expressMessagesProblem, NODE_MESSAGES } from '../../container/express-messages.js';
import type { HttpHandler } from '../../core/http/handler.js';
import type { HttpRequest, HttpResponse } from '../../core/http/types.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  raw: string[];
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  if (server) await once(server, 'close');
  server = undefined;
});

/** Serves createApp over a stub core that answers `response` and keeps what it was handed. */
async function serve(response: HttpResponse, draining = false) {
  const seen: HttpRequest[] = [];
  const answer = async (request: HttpRequest) => {
    seen.push(request);
    return structuredClone(response);
  };
  const handler = { handle: answer, fail: (_error: unknown, request: HttpRequest) => answer(request) } as HttpHandler;
  server = createApp({ handler, draining: () => draining }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const send = (method: string, path: string, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, raw: res.rawHeaders, body: text }));
      });
      req.on('error', reject).end(body);
    });
  return { seen, send };
}

const names = (raw: string[]) => raw.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());

describe('the container app', () => {
  it('answers with the core’s status, headers and body, a byte-exact length and the security headers once', async () => {
    // Arrange
    const body = JSON.stringify({ title: 'Größe ✓' });
    const { send } = await serve({ status: 201, headers: { 'content-type': 'application/json; charset=utf-8', etag: '"1"' }, body });

    // Act
    const answer = await send('GET', '/v1/tasks');

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.body).toBe(body);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(answer.headers.etag).toBe('"1"');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-powered-by']).toBeUndefined();
    const sent = names(answer.raw);
    expect(sent.length).toBe(new Set(sent).size);
  });

  it('lets a response header replace the security header of the same name', async () => {
    // Arrange
    const { send } = await serve({ status: 200, headers: { 'x-frame-options': 'SAMEORIGIN' }, body: 'ok' });

    // Act
    const answer = await send('GET', '/');

    // Assess
    expect(names(answer.raw).filter((name) => name === 'x-frame-options')).toHaveLength(1);
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it.each([
    ['204', { status: 204, headers: {} }, 'DELETE'],
    ['304', { status: 304, headers: { etag: '"1"' } }, 'GET'],
    ['a HEAD', { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } }, 'HEAD'],
  ] as const)('sends no length and no body with %s', async (_, response, method) => {
    // Arrange
    const { send } = await serve(response);

    // Act
    const answer = await send(method, '/v1/tasks/x');

    // Assess
    expect(answer.status).toBe(response.status);
    expect(answer.headers['content-length']).toBeUndefined();
    expect(answer.body).toBe('');
  });

  it('sends a zero length for a success without a body', async () => {
    // Arrange
    const { send } = await serve({ status: 202, headers: {} });

    // Act
    const answer = await send('POST', '/v1/jobs');

    // Assess
    expect(answer.headers['content-length']).toBe('0');
  });

  it('asks the client to close the connection while draining', async () => {
    // Arrange
    const { send } = await serve({ status: 200, headers: {}, body: '{}' }, true);

    // Act
    const answer = await send('GET', '/healthz');

    // Assess
    expect(answer.headers.connection).toBe('close');
  });

  it('hands the core the path, the query as node:querystring reads it, and the body only when one was sent', async () => {
    // Arrange
    const { seen, send } = await serve({ status: 200, headers: {}, body: '{}' });

    // Act
    await send('GET', '/v1/tasks?tag=a&tag=b&q=x%20y&empty=');
    await send('GET', '/v1/tasks');
    await send('POST', '/v1/tasks', '{"title":"t"}');

    // Assess
    expect(seen.map(({ path }) => path)).toEqual(['/v1/tasks', '/v1/tasks', '/v1/tasks']);
    expect({ ...seen[0]!.query }).toEqual({ tag: ['a', 'b'], q: 'x y', empty: '' });
    expect(seen[1]!.query).toEqual({});
    expect(seen[0]!.body).toBeUndefined();
    expect(Buffer.from(seen[2]!.body!).toString()).toBe('{"title":"t"}');
  });
});

describe('expressMessages', () => {
  it('builds requests and responses that already have Express’s prototypes, and that still answer', async () => {
    // Arrange
    const app = createApp({ handler: { handle: async () => ({ status: 200, headers: {}, body: 'ok' }) } as unknown as HttpHandler });
    const prototypes: boolean[] = [];
    server = createServer(expressMessages(app), (req, res) => {
      prototypes.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response, req instanceof IncomingMessage);
      app(req, res);
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    // Act
    const response = await fetch(`http://127.0.0.1:${port}/`);

    // Assess
    expect(prototypes).toEqual([true, true, true]);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });
});

describe('the start-time check of expressMessages', () => {
  const app = () => createApp({ handler: { handle: async () => ({ status: 200, headers: {}, body: 'ok' }) } as unknown as HttpHandler });
  const recorder = () => {
    const warnings: unknown[][] = [];
    return { warnings, logger: { warn: (...args: unknown[]) => void warnings.push(args) } };
  };

  it('finds every assumption holding on this Node and Express, and keeps the fast classes without a warning', () => {
    const express = app();
    const { warnings, logger } = recorder();
    const messages = expressMessages(express, logger);
    expect(messages).not.toBe(NODE_MESSAGES);
    expect(expressMessagesProblem(express, messages)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it("falls back to Node's own classes, with a warning, when Node's constructors become classes", () => {
    // Prepare: constructors that cannot run on another object, as ES classes cannot.
    const node = { IncomingMessage: class extends IncomingMessage {}, ServerResponse: class extends ServerResponse {} } as unknown as typeof NODE_MESSAGES;
    const { warnings, logger } = recorder();

    // Act
    const messages = expressMessages(app(), logger, node);

    // Assess
    expect(messages).toBe(NODE_MESSAGES);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toMatch(/constructors no longer run on another object/);
  });

  it('reports when Express stops setting app.request and app.response as the prototypes', async () => {
    // Prepare: an Express whose app.handle hands over without touching the prototypes.
    const express = app();
    const probe = (await import('express')).default();
    (probe as unknown as { handle: (req: unknown, res: unknown, done: () => void) => void }).handle = (_req, _res, done) => done();

    // Act
    const problem = expressMessagesProblem(express, expressMessages(express), probe);

    // Assess
    expect(problem).toMatch(/no longer sets the prototypes/);
  });

  it('reports objects that lack the app\'s prototypes', () => {
    expect(expressMessagesProblem(app(), NODE_MESSAGES)).toMatch(/lack Express's prototypes/);
  });
});
