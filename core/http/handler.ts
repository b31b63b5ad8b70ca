import { randomUUID } from 'node:crypto';
import { InsufficientScopeError } from '../domain/errors.js';
import type { Authenticator } from '../ports/authenticator.js';
import type { Logger } from '../ports/logger.js';
import { noMetrics, type Metrics } from '../ports/metrics.js';
import { createCors } from './cors.js';
import { credentialsOf } from './credentials.js';
import { MethodNotAllowedError, RouteNotFoundError } from './errors.js';
import { errorToResponse } from './problem.js';
import { ROUTE_SPECS, type RouteHandlers } from './specs.js';
import { traceContext } from './trace.js';
import type { HttpRequest, HttpResponse, RouteHandle, RouteSpec } from './types.js';

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
/** The routes by their number of path segments: a request is only matched against routes of its length. */
const BY_LENGTH = new Map<number, typeof COMPILED>();
for (const route of COMPILED) BY_LENGTH.set(route.segments.length, [...(BY_LENGTH.get(route.segments.length) ?? []), route]);

/** The methods a path allows: its routes', HEAD wherever GET is, and OPTIONS. */
function allowOf(matches: { spec: RouteSpec }[]): string[] {
  const methods = matches.map((match) => match.spec.method);
  return [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
}

function matchPath(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
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

/** The `Server-Timing` value of a response (W3C Server Timing): the service's time in ms, to the microsecond. */
export const serverTiming = (ms: number) => `app;dur=${ms.toFixed(3)}`;

/**
 * The transport-neutral HTTP entry point: each runtime translates its requests into
 * `HttpRequest`, calls `handle` and translates the `HttpResponse` back. Routing, 404 and 405
 * come from the whole route table, whichever operations this runtime binds.
 */
export interface HttpHandlerDeps {
  handlers: RouteHandlers;
  logger: Logger;
  metrics?: Metrics;
  /** Required where an operation that needs a token is bound. */
  authenticator?: Authenticator;
  corsOrigins?: readonly string[];
}

interface Seen {
  route?: string;
  tenant?: string;
}

export function createHttpHandler({ handlers, logger, metrics = noMetrics, authenticator, corsOrigins = [] }: HttpHandlerDeps) {
  const cors = createCors(corsOrigins);

  /** Routes the request; what is learnt on the way (route template, tenant) goes into `seen` for the access log. */
  async function dispatch(request: HttpRequest, requestId: string, seen: Seen, transportError?: unknown): Promise<HttpResponse> {
    // API Gateway routes `/v1/tasks/` like `/v1/tasks`; every target does the same.
    const path = request.path.length > 1 && request.path.endsWith('/') ? request.path.slice(0, -1) : request.path;
    const parts = path.split('/').slice(1);
    const matches: { spec: RouteSpec; params: Record<string, string> }[] = [];
    for (const { spec, segments } of BY_LENGTH.get(parts.length) ?? []) {
      const params = matchPath(segments, parts);
      if (params) matches.push({ spec, params });
    }
    if (!matches.length) throw new RouteNotFoundError(`No resource at ${request.path.slice(0, 200)}.`);
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') return cors.preflight(request, allowOf(matches));
    seen.route = matches[0]!.spec.path;
    const match = matches.find((candidate) => candidate.spec.method === (method === 'HEAD' ? 'GET' : method));
    if (!match) {
      const allow = allowOf(matches);
      throw new MethodNotAllowedError(`${method} is not allowed here; use ${allow.join(', ')}.`, allow);
    }
    // The table types each handler's tenant (specs.ts, TenantOf); the code below keeps that promise:
    // public operations get null, the others run only after authentication, with its subject.
    const handle = handlers[match.spec.operationId as keyof RouteHandlers] as RouteHandle | undefined;
    // Only a deployment that routes an operation to a function lacking it gets here.
    if (!handle) throw new Error(`operation ${match.spec.operationId} is not bound in this runtime`);
    const scopes = match.spec.scopes;
    if (!scopes) {
      if (transportError) throw transportError;
      return handle({ request, params: match.params, requestId, tenant: null });
    }
    if (!authenticator) throw new Error(`operation ${match.spec.operationId} needs an authenticator in this runtime`);
    const principal = await authenticator.authenticate(credentialsOf(request));
    seen.tenant = principal.subject;
    if (!scopes.some((scope) => principal.scopes.has(scope))) {
      throw new InsufficientScopeError(`This operation needs a token with the scope ${scopes.join(' or ')}.`, scopes);
    }
    if (transportError) throw transportError;
    return handle({ request, params: match.params, requestId, tenant: principal.subject });
  }

  const requestIdOf = (headers: HttpRequest['headers']) => {
    const given = headers['x-request-id'];
    return given && REQUEST_ID.test(given) ? given : randomUUID();
  };

  /**
   * Stamps the ids every response carries, writes the one access-log line of the request and
   * says in `Server-Timing` how long the service spent on it, log line included: the compute a
   * request costs, which `npm run compare` prices (Lambda bills it per invocation, pods are sized by it).
   */
  function finish(request: HttpRequest, response: HttpResponse, requestId: string, started: Started, seen: Seen): HttpResponse {
    const { route } = seen;
    const { traceId, traceparent } = traceContext(request.headers);
    const elapsedMs = performance.now() - started.at;
    started.record({ method: request.method.toUpperCase(), route: route ?? 'unmatched', status: response.status }, elapsedMs / 1000);
    response.headers['x-request-id'] = requestId;
    response.headers.traceparent = traceparent;
    cors.decorate(request, response);
    if (request.method.toUpperCase() === 'HEAD') delete response.body;
    logger.info(
      {
        requestId,
        traceId,
        method: request.method,
        route: route ?? null,
        status: response.status,
        durationMs: Math.round(elapsedMs * 1000) / 1000,
        tenant: seen.tenant ?? null,
      },
      'request',
    );
    response.headers['server-timing'] = serverTiming(performance.now() - started.at);
    return response;
  }

  const start = (): Started => ({ at: performance.now(), record: metrics.requestStarted() });

  /** Runs one request; `transportError` is what the transport failed with while reading it (for example a body over the limit). */
  async function run(request: HttpRequest, transportError?: unknown): Promise<HttpResponse> {
    const started = start();
    const requestId = requestIdOf(request.headers);
    const seen: Seen = {};
    let response: HttpResponse;
    try {
      response = await dispatch(request, requestId, seen, transportError);
    } catch (error) {
      response = errorToResponse(error, requestId, logger);
    }
    return finish(request, response, requestId, started, seen);
  }

  return {
    handle: (request: HttpRequest) => run(request),
    /**
     * Answers a request the runtime gives up on (a Lambda function about to time out) with this
     * error, through the one mapper, without routing it again; the access log gets its line.
     */
    abandon: (error: unknown, request: HttpRequest): HttpResponse => {
      const started = start();
      const requestId = requestIdOf(request.headers);
      return finish(request, errorToResponse(error, requestId, logger), requestId, started, {});
    },
    /**
     * Answers a request the transport could not hand over. Routing and authentication still come
     * first, so an oversized body without a token is a 401 here as behind API Gateway's authorizer.
     */
    fail: (error: unknown, request: HttpRequest) => run(request, error ?? new Error('transport failure')),
  };
}

export type HttpHandler = ReturnType<typeof createHttpHandler>;
