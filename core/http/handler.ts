import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { MethodNotAllowedError, RouteNotFoundError } from '../domain/errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { Ids } from '../ports/ids.js';
import type { Logger } from '../ports/logger.js';
import type { TaskStore } from '../ports/task-store.js';
import { createTaskService } from '../use-cases/tasks.js';
import { buildOpenApi } from './openapi.js';
import { errorToResponse } from './problem.js';
import { attachmentRoutes } from './routes/attachments.js';
import { opsRoutes } from './routes/ops.js';
import { taskRoutes } from './routes/tasks.js';
import type { HttpRequest, HttpResponse, Route } from './types.js';

export interface CoreDeps {
  config: Config;
  store: TaskStore;
  blobs: BlobStore;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** True once the runtime is shutting down; readiness then fails. */
  draining?: () => boolean;
}

/** Until authentication lands every caller is this tenant (DESIGN.md, "Tenancy"). */
export const PUBLIC_TENANT = 'public';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface CompiledRoute {
  route: Route;
  segments: (string | { param: string })[];
}

function compile(route: Route): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((segment) => (segment.startsWith('{') ? { param: segment.slice(1, -1) } : segment));
  return { route, segments };
}

function matchPath(compiled: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  if (compiled.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of compiled.segments.entries()) {
    const part = parts[i]!;
    if (typeof segment === 'string') {
      if (segment !== part) return undefined;
    } else {
      try {
        params[segment.param] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
      if (params[segment.param] === '') return undefined;
    }
  }
  return params;
}

/**
 * The transport-neutral HTTP entry point: both runtimes translate their requests into
 * `HttpRequest`, call `handle` and translate the `HttpResponse` back.
 */
export function createHttpHandler(deps: CoreDeps) {
  const tasks = createTaskService(deps);
  let openapi: unknown;
  const routes: Route[] = [
    ...opsRoutes({
      config: deps.config,
      store: deps.store,
      blobs: deps.blobs,
      draining: deps.draining ?? (() => false),
      openapi: () => (openapi ??= buildOpenApi(routes, { version: deps.config.version })),
    }),
    ...taskRoutes(tasks),
    ...attachmentRoutes(tasks),
  ];
  const compiled = routes.map(compile);

  async function dispatch(request: HttpRequest, requestId: string): Promise<HttpResponse> {
    const parts = request.path.split('/').slice(1);
    const matches = compiled.flatMap((entry) => {
      const params = matchPath(entry, parts);
      return params ? [{ route: entry.route, params }] : [];
    });
    if (!matches.length) throw new RouteNotFoundError(`No resource at ${request.path.slice(0, 200)}.`);
    const methods = matches.map((match) => match.route.method);
    const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') return { status: 204, headers: { allow: allow.join(', ') } };
    const match = matches.find((candidate) => candidate.route.method === (method === 'HEAD' ? 'GET' : method));
    if (!match) throw new MethodNotAllowedError(`${method} is not allowed here; use ${allow.join(', ')}.`, allow);
    return match.route.handle({ request, params: match.params, requestId, tenant: PUBLIC_TENANT });
  }

  const requestIdOf = (headers: HttpRequest['headers']) => {
    const given = headers['x-request-id'];
    return given && REQUEST_ID.test(given) ? given : randomUUID();
  };

  return {
    routes,
    async handle(request: HttpRequest): Promise<HttpResponse> {
      const requestId = requestIdOf(request.headers);
      let response: HttpResponse;
      try {
        response = await dispatch(request, requestId);
      } catch (error) {
        response = errorToResponse(error, requestId, deps.logger);
      }
      response.headers['x-request-id'] = requestId;
      if (request.method.toUpperCase() === 'HEAD') delete response.body;
      return response;
    },
    /** Answers a request the transport could not hand over (for example a body over the limit). */
    fail(error: unknown, headers: HttpRequest['headers']): HttpResponse {
      const requestId = requestIdOf(headers);
      const response = errorToResponse(error, requestId, deps.logger);
      response.headers['x-request-id'] = requestId;
      return response;
    },
  };
}

export type HttpHandler = ReturnType<typeof createHttpHandler>;
