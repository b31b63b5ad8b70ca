import { parse as parseQuery } from 'node:querystring';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { MalformedJsonError, PayloadTooLargeError } from '../core/http/errors.js';
import { MAX_BODY_BYTES } from '../core/http/body.js';
import type { HttpHandler } from '../core/http/handler.js';
import type { HttpRequest, HttpResponse } from '../core/http/types.js';
import { securityHeaders } from '../wiring/security-headers.js';

export interface AppDeps {
  handler: HttpHandler;
  /** While true, responses ask clients to close their connection so the server can drain. */
  draining?: () => boolean;
  /** serverless-express (the lambdalith) reads the headers back with getHeaders(), so each must be set on its own. */
  headersReadBack?: boolean;
}

function toHttpRequest(req: Request): HttpRequest {
  // Node joins repeated request headers itself; only set-cookie stays an array.
  let headers = req.headers as HttpRequest['headers'];
  if (req.headers['set-cookie']) {
    headers = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Express 5's 'simple' query parser is node:querystring; reading req.query would parse the URL again.
  const url = req.originalUrl;
  const mark = url.indexOf('?');
  return {
    method: req.method,
    path: mark === -1 ? url : url.slice(0, mark),
    query: mark === -1 ? {} : (parseQuery(url.slice(mark + 1)) as HttpRequest['query']),
    headers,
    ...(Buffer.isBuffer(req.body) && { body: req.body }),
  };
}

/** body-parser's failures, expressed as the core's errors so the one mapper answers them. */
function bodyParserError(error: { type?: string; message?: string }): Error {
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(`The body may hold at most ${MAX_BODY_BYTES} bytes.`);
    case 'request.size.invalid':
    case 'request.aborted':
      return new MalformedJsonError('The body ended before its declared length.');
    default:
      return error as Error;
  }
}

/** The Express 5 app: a thin translation between Express and the core's route table. */
export function createApp({ handler, draining = () => false, headersReadBack = false }: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);

  const security = securityHeaders();
  const send = (res: Response, response: HttpResponse) => {
    const headers: string[] = [];
    security.appendMissing(response.headers, headers);
    for (const name in response.headers) headers.push(name, response.headers[name]!);
    if (draining()) headers.push('connection', 'close');
    if (headersReadBack) {
      res.statusCode = response.status;
      for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
      res.end(response.body);
      return;
    }
    // All at once: Node validates and serialises the list in one pass, no header object built.
    // The length goes with it, since end() comes after the head is written.
    if (response.status !== 204 && response.status !== 304 && res.req.method !== 'HEAD') {
      headers.push('content-length', String(Buffer.byteLength(response.body ?? '')));
    }
    res.writeHead(response.status, headers);
    res.end(response.body);
  };

  // One layer: the body is read inside it, so a request passes Express's router once.
  const readBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  const answer = async (req: Request, res: Response, bodyError: unknown) =>
    send(res, await (bodyError ? handler.fail(bodyParserError(bodyError), toHttpRequest(req)) : handler.handle(toHttpRequest(req))));
  app.use((req, res, next) => {
    // Without either header there is no body (RFC 9112 §6.3), so most GETs skip the parser.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) answer(req, res, undefined).catch(next);
    else {
      // The core undoes the Content-Encoding when a handler reads the body, as on Lambda, where API
      // Gateway passes it on as sent: body-parser reads the bytes as they came, within the same limit.
      const coding = req.headers['content-encoding'];
      if (coding !== undefined) delete req.headers['content-encoding'];
      readBody(req, res, (bodyError?: unknown) => {
        if (coding !== undefined) req.headers['content-encoding'] = coding;
        answer(req, res, bodyError).catch(next);
      });
    }
  });
  const onError: ErrorRequestHandler = (error, req, res, next) => {
    handler.fail(error, toHttpRequest(req)).then((reply) => send(res, reply)).catch(next);
  };
  app.use(onError);
  return app;
}
