import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import JSZip from 'jszip';
import type { BenchAuth } from './auth.js';

const RUNS = 21;

/** The first event each function answers in the cold-start proxy. */
const FIRST_EVENTS: Record<string, { method: string; path: string; body?: string }> = {
  tasks: { method: 'GET', path: '/v1/tasks' },
  attachments: { method: 'GET', path: '/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV/attachments' },
  stats: { method: 'GET', path: '/v1/stats' },
  legacy: { method: 'POST', path: '/v1', body: '{"data":"hello, world!"}' },
  ops: { method: 'GET', path: '/healthz' },
  web: { method: 'GET', path: '/' },
  api: { method: 'GET', path: '/v1/tasks' },
};

/** As API Gateway sends it: with the token, and with the claims its JWT authorizer verified. */
function httpApiEvent({ method, path, body }: { method: string; path: string; body?: string }, auth: BenchAuth) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'bench.local', authorization: auth.authorization },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      stage: '$default',
      requestId: 'bench',
      authorizer: { jwt: { claims: auth.claims, scopes: null } },
    },
    isBase64Encoded: false,
    ...(body && { body }),
  };
}

// Imports the bundle, answers one event and exits: what a Lambda cold start does, minus the sandbox.
const COLD_START = `
const { handler } = await import(process.env.BENCH_BUNDLE);
const result = await handler(JSON.parse(process.env.BENCH_EVENT), { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10000 });
if (result.statusCode >= 500) console.error(JSON.stringify(result));
process.exit(result.statusCode < 500 ? 0 : 1);
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Run {
  args: string[];
  env: Record<string, string>;
}

/** Median wall time of each run, taken round-robin (this VM drifts by the minute, so no run goes all at once). */
function timeRuns(runs: Record<string, Run>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, { args, env }] of Object.entries(runs)) {
      const started = performance.now();
      const result = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      samples[name]!.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`cold start run of ${name} failed (exit ${result.status}):\n${`${result.stdout}${result.stderr}`.slice(-2000)}`);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, Math.round(median(values) * 10) / 10]));
}

async function packageMode(mode: 'routes' | 'lambdalith', dir: string): Promise<Record<string, number>> {
  const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
  execFileSync(process.execPath, [cli, 'package', '--package', dir, `--param=mode=${mode}`], {
    env: { ...process.env, DUET_BUILD_ID: `bench-${mode}`, SLS_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
  });
  const sizes: Record<string, number> = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.zip'))) {
    const name = file.replace(/\.zip$/, '');
    sizes[name] = statSync(join(dir, file)).size;
    const zip = await JSZip.loadAsync(readFileSync(join(dir, file)));
    for (const entry of Object.values(zip.files).filter((item) => !item.dir)) {
      mkdirSync(join(dir, name, entry.name, '..'), { recursive: true });
      writeFileSync(join(dir, name, entry.name), await entry.async('nodebuffer'));
    }
  }
  return sizes;
}

export interface LambdaResults {
  zipBytes: Record<string, number>;
  bareNodeStartMs: number;
  /** bench/references/sdk-get-item.ts: the AWS SDK's DynamoDB client alone, answering with one GetItem. */
  sdkGetItemOverBareMs: number;
  coldStartMs: Record<string, number>;
  coldStartOverBareMs: Record<string, number>;
}

/** Bundle sizes of both modes and a cold-start proxy per function, against a bare `node -e 0`. */
export async function benchLambda(workDir: string, stackEnv: Record<string, string>, auth: BenchAuth, log: (line: string) => void): Promise<LambdaResults> {
  const zipBytes: Record<string, number> = {};
  const bundles: Record<string, string> = {};
  for (const mode of ['routes', 'lambdalith'] as const) {
    const dir = join(workDir, mode);
    Object.assign(zipBytes, await packageMode(mode, dir));
    for (const name of Object.keys(zipBytes)) {
      const file = name === 'api' ? 'lambdalith' : name;
      if (!bundles[name]) bundles[name] = join(dir, name, 'handlers', `${file}.mjs`);
    }
  }
  // Bundled as serverless.yml bundles the functions (custom.esbuild).
  const sdkBundle = join(workDir, 'sdk-get-item.mjs');
  buildSync({
    entryPoints: ['bench/references/sdk-get-item.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    outfile: sdkBundle,
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  const coldStart = (bundle: string, event: string, env: Record<string, string> = {}): Run => ({
    args: ['--input-type=module', '-e', COLD_START],
    env: { ...stackEnv, ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: event },
  });
  const timed = timeRuns({
    bare: { args: ['-e', '0'], env: {} },
    sdk: coldStart(sdkBundle, JSON.stringify(httpApiEvent({ method: 'GET', path: '/' }, auth))),
    // Deployed per-route functions trust the authorizer's claims; the lambdalith verifies the token (fetching the JWKS) itself.
    ...Object.fromEntries(
      Object.entries(bundles).map(([name, bundle]) => [
        name,
        coldStart(bundle, JSON.stringify(httpApiEvent(FIRST_EVENTS[name]!, auth)), { AUTH_CLAIMS: 'gateway', LOG_LEVEL: 'info' }),
      ]),
    ),
  });
  const overBare = (ms: number) => Math.round((ms - timed.bare!) * 10) / 10;
  const bareNodeStartMs = timed.bare!;
  const sdkGetItemOverBareMs = overBare(timed.sdk!);
  log(`  bare node -e 0: ${bareNodeStartMs} ms; reference, the SDK's DynamoDB client answering one GetItem: +${sdkGetItemOverBareMs} ms (medians of ${RUNS}, round-robin)`);
  const coldStartMs: Record<string, number> = {};
  const coldStartOverBareMs: Record<string, number> = {};
  for (const name of Object.keys(bundles)) {
    coldStartMs[name] = timed[name]!;
    coldStartOverBareMs[name] = overBare(timed[name]!);
    log(`  ${name}: zip ${(zipBytes[name]! / 1024).toFixed(0)} KiB, cold start ${coldStartMs[name]} ms (+${coldStartOverBareMs[name]} ms)`);
  }
  return { zipBytes, bareNodeStartMs, sdkGetItemOverBareMs, coldStartMs, coldStartOverBareMs };
}
