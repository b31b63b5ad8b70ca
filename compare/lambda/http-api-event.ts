import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const TEXT_TYPES = /^(application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded)|text\/)/i;
const SERVER_DATE = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'UTC' });

/** `01/Jan/2026:00:00:00 +0000`, as API Gateway writes requestContext.time. */
function gatewayTime(date: Date): string {
  const parts = Object.fromEntries(SERVER_DATE.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.day}/${parts.month}/${parts.year}:${parts.hour}:${parts.minute}:${parts.second} +0000`;
}

export interface IncomingRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
}

/**
 * The payload 2.0 event an HTTP API on its `$default` stage hands a Lambda function: header names
 * lower-case with repeated values joined by commas, cookies apart, the query both raw and as
 * single values, and a body that is text for text types and base64 otherwise.
 */
export function toHttpApiEvent(request: IncomingRequest, routeKey: string, pathParameters: Record<string, string>, now = new Date()): APIGatewayProxyEventV2 {
  const mark = request.url.indexOf('?');
  const rawPath = mark === -1 ? request.url : request.url.slice(0, mark);
  const rawQueryString = mark === -1 ? '' : request.url.slice(mark + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies = String(value).split(/;\s*/).filter(Boolean);
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) query[name] = name in query ? `${query[name]},${value}` : value;
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const domainName = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies && { cookies }),
    headers,
    ...(Object.keys(query).length && { queryStringParameters: query }),
    ...(Object.keys(pathParameters).length && { pathParameters }),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length && { body: text ? request.body.toString('utf8') : request.body.toString('base64') }),
    isBase64Encoded: request.body.length > 0 && !text,
  };
}

export interface GatewayResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** What an HTTP API answers for a function's result (payload 2.0 format). */
export function fromHttpApiResult(result: unknown): GatewayResponse {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null)) };
  }
  const { statusCode, headers = {}, cookies, body, isBase64Encoded } = result as APIGatewayProxyStructuredResultV2;
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = String(value);
  if (cookies?.length) out['set-cookie'] = cookies;
  return { status: statusCode ?? 200, headers: out, body: body === undefined ? Buffer.alloc(0) : Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8') };
}
