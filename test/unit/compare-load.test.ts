import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../compare/args.js';
import { parseServerTiming, refusalOf, runOpenLoop } from '../../compare/load.js';
import { createPlanner } from '../../compare/operations.js';
import { createChooser, loadWorkload } from '../../compare/workload.js';

const run = promisify(execFile);
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A loopback server that stalls for `stallMs` from its first request, then answers at once with an app;dur. */
async function startServer(stallMs: number): Promise<string> {
  let started: number | undefined;
  server = createServer((req, res) => {
    started ??= Date.now();
    const answer = () => {
      res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json', 'server-timing': 'app;dur=1.400' });
      res.end('{}');
    };
    const left = started + stallMs - Date.now();
    if (left > 0) setTimeout(answer, left);
    else answer();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('Server-Timing parsing', () => {
  it('reads app and init durations, whatever the spacing', () => {
    expect(parseServerTiming('app;dur=1.250, init;dur=180.5')).toEqual({ app: 1.25, init: 180.5 });
    expect(parseServerTiming('app;desc="x";dur=3')).toEqual({ app: 3 });
    expect(parseServerTiming(undefined)).toEqual({});
  });
});

describe('the open-loop generator', () => {
  it('keeps sending on schedule while the target stalls, and counts the wait in each latency', async () => {
    // Prepare: one connection, and a target that answers nothing for its first 400 ms.
    const url = await startServer(400);

    // Act
    const result = await runOpenLoop({ baseUrl: url, rate: 40, durationS: 1, maxSockets: 1, next: () => ({ operation: 'get', method: 'GET', path: '/' }) });

    // Assess: the 16 requests scheduled in the stall waited for it, from their scheduled time:
    // 400 ms, 375 ms, … 25 ms, so a quarter of all took over 100 ms (closed loop would say ~0).
    const sample = result.operations.get!;
    expect(result.completed).toBe(40);
    expect(result.achievedRate).toBeGreaterThan(35);
    expect(sample.latency.getValueAtPercentile(100) / 1000).toBeGreaterThan(300);
    expect(sample.latency.getValueAtPercentile(75) / 1000).toBeGreaterThan(100);
    expect(sample.app.getValueAtPercentile(50)).toBe(1400);
    expect(sample.billedSumMs).toBe(80);
    expect(sample.statuses).toEqual({ 200: 40 });
  });

  it('counts 5xx answers as failures and refuses a run where more than 5 % failed', async () => {
    // Prepare
    const url = await startServer(0);

    // Act
    const result = await runOpenLoop({ baseUrl: url, rate: 20, durationS: 0.5, next: () => ({ operation: 'fail', method: 'GET', path: '/fail' }) });

    // Assess
    expect(result.errors).toBe(10);
    expect(result.refusal).toMatch(/10 of 10 requests failed/);
  });

  it('refuses a run where the generator itself fell behind', () => {
    expect(refusalOf({ scheduled: 1000, late: 51, errors: 0, achievedRate: 1000, rate: 1000 })).toMatch(/more than 50 ms late/);
    expect(refusalOf({ scheduled: 1000, late: 0, errors: 0, achievedRate: 900, rate: 1000 })).toMatch(/reached 900 of 1000/);
    expect(refusalOf({ scheduled: 1000, late: 50, errors: 50, achievedRate: 960, rate: 1000 })).toBeUndefined();
  });
});

describe('the workload', () => {
  it('sends the same sequence of operations and parameters for the same seed', () => {
    // Prepare
    const workload = loadWorkload();
    const plan = () => {
      const planner = createPlanner(workload, createChooser(workload.seed), 'run');
      for (let n = 0; n < 5; n++) planner.seeded(JSON.stringify({ id: `task-${n}`, version: 1 }));
      return Array.from({ length: 200 }, () => {
        const { operation, method, path, body } = planner.next();
        return `${operation} ${method} ${path} ${body ?? ''}`;
      });
    };

    // Act
    const first = plan();
    const second = plan();

    // Assess
    expect(second).toEqual(first);
    expect(new Set(first.map((line) => line.split(' ')[0]))).toEqual(new Set(['get', 'list', 'create', 'patch', 'stats']));
  });
});

describe('the command line', () => {
  it('reads targets, a token and the numbers', () => {
    const options = parseOptions(['--target', 'lambda=https://abc.execute-api.us-east-1.amazonaws.com', '--target', 'eks=https://duet.example.com', '--token', 't', '--rate', '200', '--duration', '60']);
    expect(options).toMatchObject({ targets: [{ name: 'lambda' }, { name: 'eks' }], token: 't', rate: 200, durationS: 60, monthlyRequests: 5_000_000, freeTier: false });
  });

  it.each([
    [['--rate', 'fast'], /--rate must be a number/],
    [['--duration', '0'], /--duration must be a number above 0/],
    [['--target', 'nourl'], /--target must be NAME=URL/],
    [['--target', 'a=ftp://x'], /not an http\(s\) URL/],
    [['--target', 'a=https://x'], /need --token/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with one clear line', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
    expect(() => parseOptions(argv)).toThrow(message);
  });

  it('exits 2 with one line on a bad argument', async () => {
    // Act
    const failure = await run(process.execPath, ['--import', 'tsx', 'compare/cli.ts', '--rate', 'fast']).catch((error: { code: number; stderr: string }) => error);

    // Assess
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr.trim().split('\n')).toEqual(['compare: --rate must be a number above 0 and at most 100000, not "fast" (npm run compare -- --help)']);
  });
});
