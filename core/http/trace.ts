import { randomFillSync } from 'node:crypto';
import type { HttpRequest } from './types.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const AMZN_ROOT = /(?:^|;)\s*Root=1-([0-9a-f]{8})-([0-9a-f]{24})(?:;|$)/i;

export interface TraceContext {
  /** W3C trace id (32 lower-case hex digits), shared by the caller's trace and our logs. */
  traceId: string;
  /** The traceparent this service answers with: the caller's trace, our span. */
  traceparent: string;
}

const pool = Buffer.alloc(4096);
let used = pool.length;
/** Random bytes as hex, from a pool refilled 4 KiB at a time: every request draws 8 or 24. */
function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}

/**
 * Reads the caller's trace from W3C `traceparent`, else from API Gateway's `X-Amzn-Trace-Id`
 * (whose Root carries the same 128 bits), else starts a new trace.
 */
export function traceContext(headers: HttpRequest['headers']): TraceContext {
  const w3c = TRACEPARENT.exec(headers.traceparent?.trim().toLowerCase() ?? '');
  const amzn = AMZN_ROOT.exec(headers['x-amzn-trace-id'] ?? '');
  const given = w3c && !/^0+$/.test(w3c[1]!) && !/^0+$/.test(w3c[2]!) ? w3c[1]! : amzn ? `${amzn[1]}${amzn[2]}`.toLowerCase() : undefined;
  const traceId = given ?? randomHex(16);
  const flags = w3c?.[3] ?? '01';
  return { traceId, traceparent: `00-${traceId}-${randomHex(8)}-${flags}` };
}
