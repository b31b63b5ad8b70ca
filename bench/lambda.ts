import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import JSZip from 'jszip';
import type { BenchAuth } from './auth.js';
import type { NodeBinary } from './node-runtimes.js';

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

/** The per-route functions on DynamoDB, budgeted against the SDK reference (the others use no SDK client). */
export const DYNAMODB_FUNCTIONS = ['tasks', 'attachments', 'stats', 'ops'];

// Imports the bundle, answers one event and exits: what a Lambda cold start does, minus the sandbox.
const COLD_START = `
const started = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE);
process.stderr.write('\\nBENCH_IMPORT_MS=' + (performance.now() - started) + '\\n');
const result = await handler(JSON.parse(process.env.BENCH_EVENT), { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10000 });
if (result.statusCode >= 500) console.error(JSON.stringify(result));
process.exit(result.statusCode < 500 ? 0 : 1);
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Run {
  node: string;
  args: string[];
  env: Record<string, string>;
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;
const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms}`;

/**
 * Median wall time of each run, and of its bundle's import where it prints one, taken round-robin
 * (this VM drifts by the minute, so no run goes all at once).
 */
function timeRuns(runs: Record<string, Run>): { wallMs: Record<string, number>; importMs: Record<string, number> } {
  const walls: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  const imports: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, { node, args, env }] of Object.entries(runs)) {
      const started = performance.now();
      const result = spawnSync(node, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      walls[name]!.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`cold start run of ${name} failed (exit ${result.status}):\n${`${result.stdout}${result.stderr}`.slice(-2000)}`);
      const imported = /^BENCH_IMPORT_MS=([\d.]+)$/m.exec(result.stderr)?.[1];
      if (imported) imports[name]!.push(Number(imported));
    }
  }
  const medians = (samples: Record<string, number[]>) =>
    Object.fromEntries(Object.entries(samples).filter(([, values]) => values.length).map(([name, values]) => [name, round1(median(values))]));
  return { wallMs: medians(walls), importMs: medians(imports) };
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

/** Cold-start proxy figures on one Node binary, all from the same round-robin runs. */
export interface ColdStarts {
  node: string;
  bareNodeStartMs: number;
  /** bench/references/sdk-get-item.ts: the AWS SDK's DynamoDB client alone, answering with one GetItem. */
  sdkGetItemOverBareMs: number;
  coldStartMs: Record<string, number>;
  coldStartOverBareMs: Record<string, number>;
  coldStartOverSdkMs: Record<string, number>;
  /** The bundle's `import()` alone, timed inside the process. */
  importMs: Record<string, number>;
}

export interface LambdaResults {
  zipBytes: Record<string, number>;
  /** On the runtime's Node (Lambda's nodejs22.x, bench/node-runtimes.ts): the budgets read these. */
  coldStarts: ColdStarts;
  /** On the machine's Node, where it is another version. */
  localColdStarts?: ColdStarts;
}

/** Bundles the SDK reference as serverless.yml bundles the functions (custom.esbuild). */
export function bundleSdkReference(outfile: string): string {
  buildSync({
    entryPoints: ['bench/references/sdk-get-item.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    outfile,
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}

/** Packages both modes and returns each function's zip size and unpacked bundle. */
export async function packageBundles(workDir: string): Promise<{ zipBytes: Record<string, number>; bundles: Record<string, string> }> {
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
  return { zipBytes, bundles };
}

/**
 * Bundle sizes of both modes and a cold-start proxy per function, against a bare `node -e 0` and
 * the SDK reference, on the runtime's Node and the machine's (round-robin over both).
 */
export async function benchLambda(
  workDir: string,
  stackEnv: Record<string, string>,
  auth: BenchAuth,
  nodes: { runtime: NodeBinary; local?: NodeBinary },
  log: (line: string) => void,
): Promise<LambdaResults> {
  const { zipBytes, bundles } = await packageBundles(workDir);
  const sdkBundle = bundleSdkReference(join(workDir, 'sdk-get-item.mjs'));
  const coldStart = (node: string, bundle: string, event: string, env: Record<string, string> = {}): Run => ({
    node,
    args: ['--input-type=module', '-e', COLD_START],
    env: { ...stackEnv, ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: event },
  });
  const binaries = [nodes.runtime, ...(nodes.local ? [nodes.local] : [])];
  const runs = Object.fromEntries(
    binaries.flatMap(({ version, path }) => [
      [`bare@${version}`, { node: path, args: ['-e', '0'], env: {} }],
      [`sdk@${version}`, coldStart(path, sdkBundle, JSON.stringify(httpApiEvent({ method: 'GET', path: '/' }, auth)))],
      // Deployed per-route functions trust the authorizer's claims; the lambdalith verifies the token (fetching the JWKS) itself.
      ...Object.entries(bundles).map(([name, bundle]) => [
        `${name}@${version}`,
        coldStart(path, bundle, JSON.stringify(httpApiEvent(FIRST_EVENTS[name]!, auth)), { AUTH_CLAIMS: 'gateway', LOG_LEVEL: 'info' }),
      ]),
    ]),
  ) as Record<string, Run>;
  const { wallMs, importMs } = timeRuns(runs);
  const on = (version: string): ColdStarts => {
    const bare = wallMs[`bare@${version}`]!;
    const sdk = wallMs[`sdk@${version}`]!;
    const cold: ColdStarts = { node: version, bareNodeStartMs: bare, sdkGetItemOverBareMs: round1(sdk - bare), coldStartMs: {}, coldStartOverBareMs: {}, coldStartOverSdkMs: {}, importMs: {} };
    log(`  Node ${version}: bare node -e 0 ${bare} ms; reference, the SDK's DynamoDB client answering one GetItem: +${cold.sdkGetItemOverBareMs} ms (medians of ${RUNS}, round-robin)`);
    for (const name of ['sdk', ...Object.keys(bundles)]) {
      cold.importMs[name] = importMs[`${name}@${version}`]!;
      if (name === 'sdk') continue;
      const ms = wallMs[`${name}@${version}`]!;
      cold.coldStartMs[name] = ms;
      cold.coldStartOverBareMs[name] = round1(ms - bare);
      cold.coldStartOverSdkMs[name] = round1(ms - sdk);
      log(
        `    ${name}: zip ${(zipBytes[name]! / 1024).toFixed(0)} KiB, cold start ${ms} ms (${signed(cold.coldStartOverBareMs[name])} ms over bare, ${signed(cold.coldStartOverSdkMs[name])} ms over the SDK reference), import ${cold.importMs[name]} ms`,
      );
    }
    return cold;
  };
  return { zipBytes, coldStarts: on(nodes.runtime.version), ...(nodes.local && { localColdStarts: on(nodes.local.version) }) };
}
