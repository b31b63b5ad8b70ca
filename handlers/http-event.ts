import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpRequest, HttpResponse } from '../core/http/types.js';

export type ApiGatewayEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;
export type ApiGatewayResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult;

const isV2 = (event: ApiGatewayEvent): event is APIGatewayProxyEventV2 => (event as APIGatewayProxyEventV2).version === '2.0';

function lowerCaseHeaders(headers: Record<string, string | undefined> | null | undefined): HttpRequest['headers'] {
  const out: HttpRequest['headers'] = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function addQueryValue(query: HttpRequest['query'], name: string, value: string): void {
  const existing = query[name];
  query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
}

function decodeBody(body: string | null | undefined, isBase64Encoded: boolean): HttpRequest['body'] {
  if (body === null || body === undefined) return undefined;
  return isBase64Encoded ? Buffer.from(body, 'base64') : body;
}

/**
 * HTTP API (payload 2.0): rawPath keeps percent-encoding. serverless.yml deploys the `$default`
 * stage, so rawPath is the route path (a named stage would prefix it only on execute-api URLs).
 */
function fromV2(event: APIGatewayProxyEventV2): HttpRequest {
  const query: HttpRequest['query'] = {};
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) addQueryValue(query, name, value);
  const headers = lowerCaseHeaders(event.headers);
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query,
    headers,
    ...withBody(decodeBody(event.body, event.isBase64Encoded)),
    ...(claims && { authorizerClaims: claims }),
  };
}

/** REST API (payload 1.0): multi-value maps carry repeated headers and query parameters. */
function fromV1(event: APIGatewayProxyEvent): HttpRequest {
  const query: HttpRequest['query'] = {};
  const multiQuery = event.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multiQuery)) for (const value of values ?? []) addQueryValue(query, name, value);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (!(name in multiQuery) && value !== undefined) query[name] = value;
  const headers = lowerCaseHeaders(event.headers);
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    // Cookie pairs join with '; ' (RFC 6265 §5.4), every other repeated header with ', '.
    const key = name.toLowerCase();
    if (values?.length) headers[key] = values.join(key === 'cookie' ? '; ' : ', ');
  }
  const claims = event.requestContext.authorizer?.claims as Record<string, unknown> | undefined;
  return { method: event.httpMethod, path: event.path, query, headers, ...withBody(decodeBody(event.body, event.isBase64Encoded)), ...(claims && { authorizerClaims: claims }) };
}

const withBody = (body: HttpRequest['body']) => (body === undefined ? {} : { body });

export function toHttpRequest(event: ApiGatewayEvent): HttpRequest {
  return isV2(event) ? fromV2(event) : fromV1(event);
}

/** The core's response in the shape the event's payload version expects. */
export function toApiGatewayResult(response: HttpResponse, event: ApiGatewayEvent): ApiGatewayResult {
  const result = { statusCode: response.status, headers: response.headers, isBase64Encoded: false };
  if (isV2(event)) return response.body === undefined ? result : { ...result, body: response.body };
  return { ...result, body: response.body ?? '' };
}
