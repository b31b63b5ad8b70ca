import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { DeadlineExceededError } from '../core/http/errors.js';
import { createHttpHandler, type HttpHandlerDeps } from '../core/http/handler.js';
import { securityHeaders } from '../wiring/security-headers.js';
import { addInitTiming, takeInitDuration } from './init-timing.js';
import { toApiGatewayResult, toHttpRequest, type ApiGatewayEvent, type ApiGatewayResult } from './http-event.js';

/**
 * How long before the function's timeout middy gives up on a request and the function answers
 * it itself: enough to map the error, log the line and return, on a cold and busy sandbox.
 */
export const TIMEOUT_MARGIN_MS = 500;

/**
 * A Lambda handler serving the given operations of the route table. It is built once per cold
 * start (at module scope, by each handler file); per invocation it only translates.
 *
 * middy's job: the timeout path. TIMEOUT_MARGIN_MS before Lambda would kill the invocation (an
 * API Gateway 5xx with no body, no access log line), middy abandons the request and this
 * middleware answers it through the core's one mapper: a 503 DEADLINE_EXCEEDED problem document
 * with Retry-After, the request id, the security headers and the access log line, as any other.
 */
export function createLambdaHandler(deps: HttpHandlerDeps) {
  const http = createHttpHandler(deps);
  // The same security headers, merged the same way, as on the container's responses.
  const security = securityHeaders();
  const respond = (response: ReturnType<typeof http.abandon>, event: ApiGatewayEvent, initMs: number | undefined) => {
    response.headers = security.merge(response.headers);
    addInitTiming(response.headers, initMs);
    return toApiGatewayResult(response, event);
  };
  const answerTimeouts: MiddlewareObj<ApiGatewayEvent, ApiGatewayResult, Error, Context> = {
    onError: async (request) => {
      if (request.error?.name !== 'TimeoutError') return;
      const error = new DeadlineExceededError("The request did not finish within the function's time limit; retry it.");
      request.response = respond(http.abandon(error, toHttpRequest(request.event)), request.event, undefined);
    },
  };
  return middy<ApiGatewayEvent, ApiGatewayResult, Error, Context>({ timeoutEarlyInMillis: TIMEOUT_MARGIN_MS })
    .use(answerTimeouts)
    .handler(async (event) => {
      const initMs = takeInitDuration();
      return respond(await http.handle(toHttpRequest(event)), event, initMs);
    });
}
