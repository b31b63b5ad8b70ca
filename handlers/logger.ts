import { writeSync } from 'node:fs';
import pino from 'pino/browser.js';
import { err as serializeError } from 'pino-std-serializers';
import { configure } from 'safe-stable-stringify';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/ports/logger.js';
import { isoTimestamp, REDACT_PATHS } from '../wiring/log-lines.js';

const stringifySafe = configure({ circularValue: '[Circular]' });

/** As pino does: JSON.stringify, and a stringifier that survives cycles and BigInts when it throws. */
function stringify(value: object): string {
  try {
    return JSON.stringify(value);
  } catch {
    return stringifySafe(value)!;
  }
}

/**
 * The functions' logger: the lines wiring/logger.ts writes (the same keys in the same order,
 * credentials redacted at the same paths, `err` as pino's serializer writes it), from pino's
 * browser build. Node pino's import costs a function's cold start about 50 M instructions
 * (13 ms; SonicBoom, its transport machinery, its stringifiers); the browser build about a
 * third of that (npm run bench:coldstart-instructions, bench/README.md). Lines go to stdout
 * synchronously: Lambda freezes the process after each response.
 */
export function createLambdaLogger(config: Config, write: (line: string) => void = (line) => writeSync(1, line)): Logger {
  const base = { service: config.service, target: config.target, version: config.version };
  return pino({
    level: config.logLevel,
    timestamp: () => isoTimestamp(),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    browser: {
      asObject: true,
      formatters: {
        level: (label: string) => ({ level: label }),
        // Node pino's order: level, time, the base fields, the logged object, msg.
        log: ({ level, time, msg, ...fields }: Record<string, unknown>) => ({
          level,
          time,
          ...base,
          ...fields,
          ...(fields.err instanceof Error && { err: serializeError(fields.err) }),
          ...(msg !== undefined && { msg }),
        }),
      },
      write: (line: object) => write(`${stringify(line)}\n`),
    },
  });
}
