import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { securityHeaders } from '../wiring/security-headers.js';
import { createHttpHandler, type HttpHandlerDeps } from '../core/http/handler.js';
import { addInitTiming, takeInitDuration } from './init-timing.js';
import { toApiGatewayResult, toHttpRequest, type ApiGatewayEvent, type ApiGatewayResult } from './http-event.js';

/**
 * A Lambda handler serving the given operations of the route table. It is built once per cold
 * start (at module scope, by each handler file); per invocation it only translates.
 */
export function createLambdaHandler(deps: HttpHandlerDeps) {
  const http = createHttpHandler(deps);
  // The same security headers, merged the same way, as on the container's responses.
  const security = securityHeaders();
  return middy<ApiGatewayEvent, ApiGatewayResult, Error, Context>().handler(async (event) => {
    const initMs = takeInitDuration();
    const response = await http.handle(toHttpRequest(event));
    response.headers = security.merge(response.headers);
    addInitTiming(response.headers, initMs);
    return toApiGatewayResult(response, event);
  });
}
