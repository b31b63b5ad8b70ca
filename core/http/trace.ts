import { randomUUID } from 'node:crypto';
import type { HttpRequest } from './types.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const AMZN_ROOT = /(?:^|;)\s*Root=1-([0-9a-f]{8})-([0-9a-f]{24})(?:;|$)/i;

export interface TraceContext {
  /** W3C trace id (32 lower-case hex digits), shared by the caller's trace and our logs. */
  traceId: string;
  /** The traceparent this service answers with: the caller's trace, our span. */
  traceparent: string;
}

const hex32 = () => randomUUID().replaceAll('-', '');

/**
 * Reads the caller's trace from W3C `traceparent`, else from API Gateway's `X-Amzn-Trace-Id`
 * (whose Root carries the same 128 bits), else starts a new trace.
 */
export function traceContext(headers: HttpRequest['headers']): TraceContext {
  const w3c = TRACEPARENT.exec(headers.traceparent?.trim().toLowerCase() ?? '');
  const amzn = AMZN_ROOT.exec(headers['x-amzn-trace-id'] ?? '');
  const given = w3c && !/^0+$/.test(w3c[1]!) && !/^0+$/.test(w3c[2]!) ? w3c[1]! : amzn ? `${amzn[1]}${amzn[2]}`.toLowerCase() : undefined;
  // randomUUID draws from a cached entropy pool: far cheaper per request than randomBytes. A new
  // trace takes a second one, so its span id shares no bits with its trace id.
  const traceId = given ?? hex32();
  const flags = w3c?.[3] ?? '01';
  return { traceId, traceparent: `00-${traceId}-${hex32().slice(16)}-${flags}` };
}
