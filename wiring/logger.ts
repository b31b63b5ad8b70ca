import { pino, type DestinationStream } from 'pino';
import type { Config } from '../core/config.js';
import { isoTimestamp, REDACT_PATHS } from './log-lines.js';

/** pino's isoTime, through isoTimestamp's once-a-second date (every request logs a line). */
export const isoTime = (now = Date.now()): string => `,"time":"${isoTimestamp(now)}"`;

/**
 * The one logger shape of both runtimes (container/main.ts; the functions write the same lines through handlers/logger.ts): JSON lines with
 * an ISO time, the level as a word and the service, target and version on every line; anything
 * that looks like a credential is redacted where it could appear.
 */
export function createLogger(config: Config, destination: DestinationStream = pino.destination(1)) {
  return pino(
    {
      level: config.logLevel,
      base: { service: config.service, target: config.target, version: config.version },
      timestamp: () => isoTime(),
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: REDACT_PATHS,
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * The container's stdout: written asynchronously, so lines logged while a write is in flight go
 * out together in one write, and a slow log reader never blocks requests (into a pipe, 4.6 µs a
 * line instead of 5.9). pino flushes what is left when the process exits; a SIGKILL can lose the
 * lines of the last write. Lines go over as Buffers (sonic-boom's buffer mode): in its string
 * mode every line appended to a pending write copies the whole pending string again, a sixth of
 * what a request allocates. Lambda keeps the synchronous default: it freezes the process after
 * each response.
 */
export function asyncStdout(): DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: false, contentMode: 'buffer' });
  // sonic-boom's types know only strings; in buffer mode it takes Buffers.
  return { write: (line) => stdout.write(Buffer.from(line) as unknown as string) };
}
