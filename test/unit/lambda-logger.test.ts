import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { ConflictError } from '../../core/domain/errors.js';
import { createLambdaLogger } from '../../handlers/logger.js';
import { createLogger } from '../../wiring/logger.js';
import { OFFLINE_AUTH_ENV } from '../support/auth.js';

const config = loadConfig({ STORE: 'memory', SERVICE_VERSION: 'abc123', LOG_LEVEL: 'info', ...OFFLINE_AUTH_ENV }, 'lambda');

/** Both loggers, each writing its lines into an array. */
function bothLoggers() {
  const node: string[] = [];
  const lambda: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      node.push(String(chunk));
      done();
    },
  });
  return { node, lambda, nodeLogger: createLogger(config, stream), lambdaLogger: createLambdaLogger(config, (line) => lambda.push(line)) };
}

const withoutTime = (line: string) => {
  expect(line.endsWith('\n')).toBe(true);
  const { time, ...rest } = JSON.parse(line) as Record<string, unknown>;
  expect(new Date(time as string).toISOString()).toBe(time);
  return rest;
};

describe('the Lambda logger (pino/browser)', () => {
  it("writes the lines the container's pino writes: keys, order, redaction and errors alike", () => {
    // Prepare
    const { node, lambda, nodeLogger, lambdaLogger } = bothLoggers();
    const error = new ConflictError('The task changed since it was read.');
    const calls: [keyof typeof nodeLogger & ('info' | 'warn' | 'error'), object, string?][] = [
      ['info', { requestId: 'r1', method: 'GET', route: '/v1/tasks/{id}', status: 200, ms: 1.25 }, 'request'],
      ['warn', { err: error, requestId: 'r2' }, error.message],
      ['error', { err: new TypeError('boom'), requestId: 'r3' }, 'unhandled error'],
      ['info', { headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: '*/*' }, token: 't', request: { headers: { authorization: 'Basic x' } } }, 'hello'],
      ['info', { nested: { list: [1, 'two', null], ok: true }, unicode: 'día ✓' }],
    ];

    // Act
    for (const [level, object, message] of calls) {
      nodeLogger[level](object, message);
      lambdaLogger[level](object, message);
    }

    // Assess
    expect(lambda).toHaveLength(calls.length);
    const nodeLines = node.map(withoutTime);
    const lambdaLines = lambda.map(withoutTime);
    expect(lambdaLines).toEqual(nodeLines);
    for (const [i, line] of lambdaLines.entries()) expect(Object.keys(line)).toEqual(Object.keys(nodeLines[i]!));
    expect(lambdaLines[1]).toMatchObject({ level: 'warn', service: 'duet', target: 'lambda', version: 'abc123', err: { type: 'ConflictError', message: error.message } });
    expect(lambda.join('')).not.toMatch(/Bearer abc|sid=1|Basic x/);
  });

  it("leaves the caller's objects as they were", () => {
    // Prepare
    const { lambdaLogger } = bothLoggers();
    const headers = { authorization: 'Bearer abc' };
    const error = new Error('kept');
    const logged = { headers, err: error };

    // Act
    lambdaLogger.info(logged, 'request');

    // Assess
    expect(logged).toEqual({ headers: { authorization: 'Bearer abc' }, err: error });
    expect(logged.err).toBe(error);
  });

  it('writes nothing below its level and survives a cycle', () => {
    // Prepare
    const { lambda } = bothLoggers();
    const logger = createLambdaLogger({ ...config, logLevel: 'warn' }, (line) => lambda.push(line));
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;

    // Act
    logger.info({ skipped: true }, 'below the level');
    logger.warn({ cyclic }, 'cycle');

    // Assess
    expect(lambda).toHaveLength(1);
    expect(JSON.parse(lambda[0]!)).toMatchObject({ level: 'warn', msg: 'cycle', cyclic: { name: 'loop', self: '[Circular]' } });
  });
});
