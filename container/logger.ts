import { pino, stdTimeFunctions, type DestinationStream } from 'pino';
import type { Config } from '../core/config.js';

const CREDENTIAL_KEYS = ['authorization', 'cookie', 'token', 'password', 'secret'];
/**
 * Explicit paths only, where a credential could appear in what we log (a value, request headers,
 * an error): pino's wildcard paths cost 3-5x per line, and every request writes one.
 */
const REDACT_PATHS = CREDENTIAL_KEYS.flatMap((key) => [key, `headers.${key}`, `req.headers.${key}`, `request.headers.${key}`, `err.${key}`]);

/**
 * The one logger shape of both runtimes (container/main.ts, handlers/compose.ts): JSON lines with
 * an ISO time, the level as a word and the service, target and version on every line; anything
 * that looks like a credential is redacted where it could appear.
 */
export function createLogger(config: Config, destination: DestinationStream = pino.destination(1)) {
  return pino(
    {
      level: config.logLevel,
      base: { service: config.service, target: config.target, version: config.version },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: REDACT_PATHS,
        censor: '[redacted]',
      },
    },
    destination,
  );
}
