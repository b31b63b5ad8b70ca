import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local-stack.js';
import { devIssuer } from '../support/auth.js';
import { makeHttpApiEvent, makeRestApiEvent } from '../support/lambda-events.js';

/** The one schema every log line of both targets follows; access lines add the request fields. */
const LogLine = z.looseObject({
  time: z.iso.datetime(),
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
  msg: z.string().min(1),
  service: z.literal('duet'),
  target: z.enum(['container', 'lambda']),
  version: z.string().min(1),
});
const AccessLine = LogLine.extend({
  msg: z.literal('request'),
  requestId: z.string().min(1),
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  method: z.string(),
  route: z.string().nullable(),
  status: z.int().min(100).max(599),
  durationMs: z.number().min(0),
  /** The verified caller's subject; null where no token was verified (public routes, 401s). */
  tenant: z.string().min(1).nullable(),
});

const SECRET = 'Bearer sekrit-token-4711';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const issuer = devIssuer();
/** A real token: its text must never reach a log line, nor its signature. */
const TOKEN = await issuer.token('alice');
const ENV = { ...issuer.env, STORE: 'memory', LOG_LEVEL: 'info', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

async function run(args: string[], env: Record<string, string>, whileRunning?: (output: () => string) => Promise<void>) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  if (whileRunning) {
    try {
      await whileRunning(() => output);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  }
  await exited;
  return output.split('\n').filter((line) => line.startsWith('{'));
}

async function containerLines(): Promise<string[]> {
  const port = await freePort();
  return run(['container/main.ts'], { ...ENV, PORT: String(port), METRICS_PORT: '0', HOST: '127.0.0.1' }, async (output) => {
    while (!output().includes('"msg":"listening"')) await new Promise((resolve) => setTimeout(resolve, 50));
    const headers = { authorization: SECRET, traceparent: `00-${TRACE}-00f067aa0ba902b7-01`, 'content-type': 'application/json' };
    await fetch(`http://127.0.0.1:${port}/v1`, { method: 'POST', headers, body: '{"data":"hi"}' });
    await fetch(`http://127.0.0.1:${port}/nope`, { headers });
    await fetch(`http://127.0.0.1:${port}/v1/stats`, { headers: { ...headers, authorization: `Bearer ${TOKEN}` } });
    await fetch(`http://127.0.0.1:${port}/v1/stats`, { headers: { ...headers, authorization: `Bearer ${TOKEN}x` } });
  });
}

async function lambdaLines(): Promise<string[]> {
  const headers = { authorization: SECRET, traceparent: `00-${TRACE}-00f067aa0ba902b7-01`, 'content-type': 'application/json' };
  const events = [
    makeHttpApiEvent('POST', '/v1', { headers, body: '{"data":"hi"}' }),
    makeRestApiEvent('POST', '/v1', { headers, multiValueHeaders: {}, body: '{"data":"hi"}' }),
    makeHttpApiEvent('GET', '/nope', { headers }),
  ];
  const stats = [`Bearer ${TOKEN}`, `Bearer ${TOKEN}x`].map((authorization) => makeHttpApiEvent('GET', '/v1/stats', { headers: { ...headers, authorization } }));
  return [
    ...(await run(['test/support/invoke-lambda.ts', 'handlers/legacy.ts'], { ...ENV, DUET_EVENTS: JSON.stringify(events) })),
    ...(await run(['test/support/invoke-lambda.ts', 'handlers/stats.ts'], { ...ENV, DUET_EVENTS: JSON.stringify(stats) })),
  ];
}

describe.each([
  ['container', containerLines],
  ['lambda', lambdaLines],
] as const)('log lines of the %s target', (target, collect) => {
  it('all follow the one log schema, with one access line per request carrying the caller trace', async () => {
    const all = (await collect()).map((line) => JSON.parse(line));
    // Lambda's embedded-metric lines share stdout with the logs; they are metrics, not log lines.
    const parsed = all.filter((line) => !('_aws' in line));
    const lines = parsed.map((line) => JSON.stringify(line));
    if (target === 'lambda') {
      const names = all.filter((line) => '_aws' in line).flatMap((line) => line._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name));
      expect(new Set(names)).toEqual(new Set(['http_requests_total', 'http_request_duration_seconds']));
    }
    for (const line of parsed) expect(LogLine.safeParse(line).error?.issues ?? [], JSON.stringify(line)).toEqual([]);
    const access = parsed.filter((line) => line.msg === 'request');
    expect(access.length).toBe(target === 'container' ? 4 : 5);
    for (const line of access) {
      expect(AccessLine.safeParse(line).error?.issues ?? [], JSON.stringify(line)).toEqual([]);
      expect(line).toMatchObject({ target, traceId: TRACE });
    }
    expect(access.filter((line) => line.route === '/v1/stats').map((line) => [line.status, line.tenant])).toEqual([
      [200, 'alice'],
      [401, null],
    ]);
    expect(lines.join('\n')).not.toContain('sekrit');
    for (const part of TOKEN.split('.')) expect(lines.join('\n')).not.toContain(part);
  }, 60_000);
});
