// What both runtimes' log lines share (container: wiring/logger.ts, Node pino; the functions:
// handlers/logger.ts, pino's browser build). Its own module so the functions take it without Node pino.

const CREDENTIAL_KEYS = ['authorization', 'cookie', 'token', 'password', 'secret'];

/**
 * Where a credential could appear in what we log (a value, request headers, an error): explicit
 * paths only, since pino's wildcard paths cost 3-5x per line and every request writes one.
 */
export const REDACT_PATHS = CREDENTIAL_KEYS.flatMap((key) => [key, `headers.${key}`, `req.headers.${key}`, `request.headers.${key}`, `err.${key}`]);

let second = -1;
let secondPrefix = '';
/** `Date.prototype.toISOString()` of `now`, the date formatted once a second instead of once a line. */
export function isoTimestamp(now = Date.now()): string {
  const thisSecond = Math.floor(now / 1000);
  if (thisSecond !== second) {
    second = thisSecond;
    secondPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${secondPrefix}${String(now % 1000).padStart(3, '0')}Z`;
}
