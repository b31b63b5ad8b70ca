import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLogger, isoTime } from '../../wiring/logger.js';
import { loadConfig } from '../../core/config.js';
import { OFFLINE_AUTH_ENV } from '../support/auth.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('redacts credentials in values, request headers and errors', () => {
    // Prepare
    const { lines, stream } = capture();
    const logger = createLogger(loadConfig({ STORE: 'memory', ...OFFLINE_AUTH_ENV }, 'container'), stream);

    // Act
    logger.info({ headers: { authorization: 'Bearer abc', cookie: 'sid=1' }, token: 't', request: { headers: { authorization: 'Basic x' } } }, 'hello');

    // Assess
    expect(lines[0]).toMatchObject({
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      token: '[redacted]',
      request: { headers: { authorization: '[redacted]' } },
    });
    expect(JSON.stringify(lines[0])).not.toMatch(/abc|sid=1|Basic x/);
  });

  it('writes the level as a word, an ISO time and the service, target and version', () => {
    // Prepare
    const { lines, stream } = capture();
    const logger = createLogger(loadConfig({ STORE: 'memory', SERVICE_VERSION: 'abc123', ...OFFLINE_AUTH_ENV }, 'lambda'), stream);

    // Act
    logger.warn({}, 'careful');

    // Assess
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'careful', service: 'duet', target: 'lambda', version: 'abc123' });
    expect(new Date(lines[0]!.time as string).toISOString()).toBe(lines[0]!.time);
  });

  it('formats the time as toISOString does, across seconds and for milliseconds under 100', () => {
    // Prepare
    const instants = [Date.UTC(2026, 11, 2, 2, 44, 59, 999), Date.UTC(2026, 11, 2, 2, 45, 0, 0), Date.UTC(2026, 11, 2, 2, 45, 0, 7), Date.UTC(2026, 11, 2, 2, 45, 0, 42), Date.UTC(2027, 0, 1, 0, 0, 0, 123), Date.UTC(2026, 11, 2, 2, 45, 0, 999)];

    // Act
    const formatted = instants.map((instant) => isoTime(instant));

    // Assess
    expect(formatted).toEqual(instants.map((instant) => `,"time":"${new Date(instant).toISOString()}"`));
  });

  it('writes every line to stdout asynchronously, UTF-8 intact, the last ones flushed when the process exits', async () => {
    // Prepare
    const script = `
      import { asyncStdout, createLogger } from './wiring/logger.ts';
      import { loadConfig } from './core/config.ts';
      const logger = createLogger(loadConfig({ STORE: 'memory', AUTH_ISSUER: 'http://127.0.0.1:1', AUTH_AUDIENCE: 'duet' }, 'container'), asyncStdout());
      for (let i = 0; i < 5000; i++) logger.info({ i, note: 'día ✓' }, 'line');
      process.exit(0);
    `;

    // Act
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 16 * 1024 * 1024 });

    // Assess
    const lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { i: number; note: string });
    expect(lines.map((line) => line.i)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(new Set(lines.map((line) => line.note))).toEqual(new Set(['día ✓']));
  });
});
