import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createHttpHandler } from '../core/http/handler.js';
import type { RouteHandlers } from '../core/http/types.js';
import type { Logger } from '../core/ports/logger.js';
import type { Metrics } from '../core/ports/metrics.js';
import { toApiGatewayResult, toHttpRequest, type ApiGatewayEvent, type ApiGatewayResult } from './http-event.js';

/**
 * A Lambda handler serving the given operations of the route table. It is built once per cold
 * start (at module scope, by each handler file); per invocation it only translates.
 */
export function createLambdaHandler({ handlers, logger, metrics }: { handlers: RouteHandlers; logger: Logger; metrics?: Metrics }) {
  const http = createHttpHandler({ handlers, logger, ...(metrics && { metrics }) });
  return middy<ApiGatewayEvent, ApiGatewayResult, Error, Context>().handler(async (event) =>
    toApiGatewayResult(await http.handle(toHttpRequest(event)), event),
  );
}
