import { randomUUID } from 'node:crypto';
import { MethodNotAllowedError, RouteNotFoundError } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';
import { noMetrics, type Metrics } from '../ports/metrics.js';
import { errorToResponse } from './problem.js';
import { ROUTE_SPECS, type RouteSpec } from './specs.js';
import { traceContext } from './trace.js';
import type { HttpRequest, HttpResponse, RouteHandlers } from './types.js';

/** Until authentication lands every caller is this tenant (DESIGN.md, "Tenancy"). */
export const PUBLIC_TENANT = 'public';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type Segment = string | { param: string };
interface Started {
  at: number;
  record: ReturnType<Metrics['requestStarted']>;
}
const COMPILED = (ROUTE_SPECS as readonly RouteSpec[]).map((spec) => ({
  spec,
  segments: spec.path
    .split('/')
    .slice(1)
    .map((segment): Segment => (segment.startsWith('{') ? { param: segment.slice(1, -1) } : segment)),
}));

function matchPath(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i]!;
    if (typeof segment === 'string') {
      if (segment !== part) return undefined;
      continue;
    }
    try {
      params[segment.param] = decodeURIComponent(part);
    } catch {
      return undefined;
    }
    if (params[segment.param] === '') return undefined;
  }
  return params;
}

/**
 * The transport-neutral HTTP entry point: each runtime translates its requests into
 * `HttpRequest`, calls `handle` and translates the `HttpResponse` back. Routing, 404 and 405
 * come from the whole route table, whichever operations this runtime binds.
 */
export function createHttpHandler({ handlers, logger, metrics = noMetrics }: { handlers: RouteHandlers; logger: Logger; metrics?: Metrics }) {
  /** Routes the request; `route` (the matched path template) is set as soon as one is known. */
  async function dispatch(request: HttpRequest, requestId: string, seen: { route?: string }): Promise<HttpResponse> {
    // API Gateway routes `/v1/tasks/` like `/v1/tasks`; every target does the same.
    const path = request.path.length > 1 && request.path.endsWith('/') ? request.path.slice(0, -1) : request.path;
    const parts = path.split('/').slice(1);
    const matches = COMPILED.flatMap(({ spec, segments }) => {
      const params = matchPath(segments, parts);
      return params ? [{ spec, params }] : [];
    });
    if (!matches.length) throw new RouteNotFoundError(`No resource at ${request.path.slice(0, 200)}.`);
    const methods = matches.map((match) => match.spec.method);
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') return { status: 204, headers: { allow: allow.join(', ') } };
    seen.route = matches[0]!.spec.path;
    const match = matches.find((candidate) => candidate.spec.method === (method === 'HEAD' ? 'GET' : method));
    if (!match) throw new MethodNotAllowedError(`${method} is not allowed here; use ${allow.join(', ')}.`, allow);
    const handle = handlers[match.spec.operationId as keyof RouteHandlers];
    // Only a deployment that routes an operation to a function lacking it gets here.
    if (!handle) throw new Error(`operation ${match.spec.operationId} is not bound in this runtime`);
    return handle({ request, params: match.params, requestId, tenant: PUBLIC_TENANT });
  }

  const requestIdOf = (headers: HttpRequest['headers']) => {
    const given = headers['x-request-id'];
    return given && REQUEST_ID.test(given) ? given : randomUUID();
  };

  /** Stamps the ids every response carries and writes the one access-log line of the request. */
  function finish(request: HttpRequest, response: HttpResponse, requestId: string, started: Started, route?: string): HttpResponse {
    const { traceId, traceparent } = traceContext(request.headers);
    started.record({ method: request.method.toUpperCase(), route: route ?? 'unmatched', status: response.status });
    response.headers['x-request-id'] = requestId;
    response.headers.traceparent = traceparent;
    if (request.method.toUpperCase() === 'HEAD') delete response.body;
    logger.info(
      {
        requestId,
        traceId,
        method: request.method,
        route: route ?? null,
        status: response.status,
        durationMs: Math.round((performance.now() - started.at) * 1000) / 1000,
        tenant: PUBLIC_TENANT,
      },
      'request',
    );
    return response;
  }

  const start = (): Started => ({ at: performance.now(), record: metrics.requestStarted() });

  return {
    async handle(request: HttpRequest): Promise<HttpResponse> {
      const started = start();
      const requestId = requestIdOf(request.headers);
      const seen: { route?: string } = {};
      let response: HttpResponse;
      try {
        response = await dispatch(request, requestId, seen);
      } catch (error) {
        response = errorToResponse(error, requestId, logger);
      }
      return finish(request, response, requestId, started, seen.route);
    },
    /** Answers a request the transport could not hand over (for example a body over the limit). */
    fail(error: unknown, request: HttpRequest): HttpResponse {
      const started = start();
      const requestId = requestIdOf(request.headers);
      return finish(request, errorToResponse(error, requestId, logger), requestId, started);
    },
  };
}

export type HttpHandler = ReturnType<typeof createHttpHandler>;
