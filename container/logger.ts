import { pino, stdTimeFunctions, type DestinationStream } from 'pino';
import type { Config } from '../core/config.js';

const CREDENTIAL_KEYS = ['authorization', 'cookie', 'token', 'password', 'secret'];

/**
 * The one logger shape of both runtimes (container/main.ts, handlers/compose.ts): JSON lines with
 * an ISO time, the level as a word and the service, target and version on every line; anything
 * that looks like a credential is redacted wherever it appears.
 */
export function createLogger(config: Config, destination: DestinationStream = pino.destination(1)) {
  return pino(
    {
      level: config.logLevel,
      base: { service: config.service, target: config.target, version: config.version },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: CREDENTIAL_KEYS.flatMap((key) => [key, `*.${key}`, `*.headers.${key}`, `*.*.${key}`]),
        censor: '[redacted]',
      },
    },
    destination,
  );
}
