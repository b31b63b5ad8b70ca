import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../core/domain/errors.js';
import { MAX_BODY_BYTES } from '../core/http/body.js';
import type { HttpHandler } from '../core/http/handler.js';
import type { HttpRequest, HttpResponse } from '../core/http/types.js';
import { helmetHeaders } from './security-headers.js';

export interface AppDeps {
  handler: HttpHandler;
  /** While true, responses ask clients to close their connection so the server can drain. */
  draining?: () => boolean;
}

function toHttpRequest(req: Request): HttpRequest {
  // Node joins repeated request headers itself; only set-cookie stays an array.
  let headers = req.headers as HttpRequest['headers'];
  if (req.headers['set-cookie']) {
    headers = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: req.method,
    path: req.originalUrl.split('?')[0] ?? '/',
    query: req.query as HttpRequest['query'],
    headers,
    ...(Buffer.isBuffer(req.body) && { body: req.body }),
  };
}

/** body-parser's failures, expressed as the core's errors so the one mapper answers them. */
function bodyParserError(error: { type?: string; message?: string }): Error {
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(`The body may hold at most ${MAX_BODY_BYTES} bytes.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('Send the body in UTF-8 with an encoding the server supports (identity, gzip, deflate, br).');
    case 'request.size.invalid':
    case 'request.aborted':
      return new MalformedJsonError('The body ended before its declared length.');
    default:
      return error as Error;
  }
}

/** The Express 5 app: a thin translation between Express and the core's route table. */
export function createApp({ handler, draining = () => false }: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  const security = Object.entries(helmetHeaders());
  const send = (res: Response, response: HttpResponse) => {
    res.statusCode = response.status;
    for (const [name, value] of security) res.setHeader(name, value);
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    if (draining()) res.setHeader('connection', 'close');
    res.end(response.body);
  };

  // One layer: the body is read inside it, so a request passes Express's router once.
  const readBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  const answer = async (req: Request, res: Response, bodyError: unknown) =>
    send(res, await (bodyError ? handler.fail(bodyParserError(bodyError), toHttpRequest(req)) : handler.handle(toHttpRequest(req))));
  app.use((req, res, next) => readBody(req, res, (bodyError?: unknown) => answer(req, res, bodyError).catch(next)));
  const onError: ErrorRequestHandler = async (error, req, res, _next) => send(res, await handler.fail(error, toHttpRequest(req)));
  app.use(onError);
  return app;
}
