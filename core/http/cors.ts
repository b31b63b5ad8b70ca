import type { HttpRequest, HttpResponse } from './types.js';

/** What a browser may send and read cross-origin; the same on every target (API Gateway's CORS too: serverless/stage.cjs). */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'x-request-id', 'traceparent'] as const;
export const CORS_EXPOSE_HEADERS = ['etag', 'location', 'retry-after', 'idempotent-replayed', 'x-request-id', 'traceparent', 'www-authenticate'] as const;
export const CORS_MAX_AGE_SECONDS = 600;
const ALLOW_HEADERS = CORS_ALLOW_HEADERS.join(', ');
const EXPOSE_HEADERS = CORS_EXPOSE_HEADERS.join(', ');
const MAX_AGE_SECONDS = String(CORS_MAX_AGE_SECONDS);

/**
 * CORS for an allow-list of exact origins. Tokens travel in the Authorization header, never in
 * cookies, so credentials are not allowed. Origins off the list get no CORS headers at all,
 * which browsers treat as a refusal; other clients are unaffected.
 */
export function createCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  const originOf = (request: HttpRequest) => {
    const origin = request.headers.origin;
    return origin && allowed.has(origin) ? origin : undefined;
  };
  return {
    /** The answer to OPTIONS on a route that allows `methods`: a preflight's, for an allowed origin. */
    preflight(request: HttpRequest, methods: string[]): HttpResponse {
      const origin = originOf(request);
      const headers: Record<string, string> = { allow: methods.join(', ') };
      if (origin) {
        Object.assign(headers, {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': methods.join(', '),
          'access-control-allow-headers': ALLOW_HEADERS,
          'access-control-max-age': MAX_AGE_SECONDS,
        });
      }
      return { status: 204, headers };
    },
    /** Adds the CORS headers of a response (a preflight's too: its `vary`). */
    decorate(request: HttpRequest, response: HttpResponse): void {
      if (request.headers.origin === undefined) return;
      response.headers.vary = response.headers.vary ? `${response.headers.vary}, origin` : 'origin';
      const origin = originOf(request);
      if (!origin) return;
      response.headers['access-control-allow-origin'] = origin;
      if (!response.headers['access-control-allow-methods']) response.headers['access-control-expose-headers'] = EXPOSE_HEADERS;
    },
  };
}
