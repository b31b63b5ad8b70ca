import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { containerBuildOptions } from '../container/build.mjs';
import type { BenchAuth } from './auth.js';
import { load, type LoadResult, type Scenario } from './http.js';
import { imageNodeOptions } from './image.js';
import type { NodeBinary } from './node-runtimes.js';
import { startServer, type Server } from './processes.js';
import { freePort } from '../scripts/local-stack.js';

const GUNICORN = '/usr/bin/gunicorn';

/** One server's medians over the alternated rounds. */
export interface Medians {
  requestsPerSecond: number;
  requestsPerCpuSecond: number;
  p99Ms: number;
}

/**
 * GET by id on duet (memory), bare Express and Flask + gunicorn (where installed), loaded in turn
 * round by round: this VM's speed drifts by ±25 % from one minute to the next, so the budgeted
 * ratios are ratios of medians over rounds, never of two runs minutes apart.
 */
export interface Alternated {
  rounds: number;
  runs: Record<string, LoadResult[]>;
  medians: Record<string, Medians>;
}

export interface ContainerResults {
  /** The image's Node (node:22), which every server below runs on; `duetLocalNode` in the alternated rounds is duet on the machine's. */
  node: string;
  localNode?: string;
  alternatedGetById: Alternated;
  /** GET by id on duet's build with and without its Server-Timing line, paired runs */
  serverTimingAB?: PairedAB;
  duetMemory: Record<string, LoadResult>;
  duetDynamo: Record<string, LoadResult>;
  bareExpress: Record<string, LoadResult>;
  bareNode: Record<string, LoadResult>;
}

const ROUNDS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Each server with its own scenario (the same request; ids differ between two duet stores). */
async function alternate(servers: Record<string, { server: Server; scenario: Scenario }>, log: (line: string) => void): Promise<Alternated> {
  const runs: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(servers).map((name) => [name, []]));
  const entries = Object.entries(servers);
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with the next server, so none always runs first (or right after Flask's workers).
    const order = [...entries.slice(round % entries.length), ...entries.slice(0, round % entries.length)];
    for (const [name, { server, scenario }] of order) runs[name]!.push(await load(server, scenario));
    log(`  round ${round + 1}: ${Object.entries(runs).map(([name, results]) => `${name} ${results.at(-1)!.requestsPerSecond} req/s`).join(', ')}`);
  }
  const medians = Object.fromEntries(
    Object.entries(runs).map(([name, results]) => [
      name,
      {
        requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
        requestsPerCpuSecond: median(results.map((result) => result.requestsPerCpuSecond)),
        p99Ms: median(results.map((result) => result.p99Ms)),
      },
    ]),
  );
  return { rounds: ROUNDS, runs, medians };
}

const SERVER_TIMING_LINE = "response.headers['server-timing'] = serverTiming(performance.now() - started.at);";

/**
 * duet's container build with the one line that sets Server-Timing taken out, from the options
 * `npm run build` uses (container/build.mjs): the B of the A/B that says what the header costs.
 */
async function buildWithoutServerTiming(): Promise<string> {
  const outfile = 'dist/main-without-server-timing.mjs';
  const withoutLine: Plugin = {
    name: 'without-server-timing',
    setup(plugin) {
      plugin.onLoad({ filter: /core[\\/]http[\\/]handler\.ts$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        if (!source.includes(SERVER_TIMING_LINE)) throw new Error(`core/http/handler.ts no longer has the line the A/B removes: ${SERVER_TIMING_LINE}`);
        return { contents: source.replace(SERVER_TIMING_LINE, ''), loader: 'ts' };
      });
    },
  };
  await build(containerBuildOptions({ outfile, logLevel: 'error', plugins: [withoutLine] }));
  return outfile;
}

/** The Server-Timing A/B: pairs of short runs back to back, in A B, B A order by turns. */
export interface PairedAB {
  generator: string;
  pairs: number;
  /** with ÷ without, one per pair */
  ratios: number[];
  median: number;
  /** the pairs' middle half: a spread this wide is what one VM's drift does to two identical builds */
  quartiles: [number, number];
}

const AB_PAIRS = 12;
const WRK = '/usr/bin/wrk';

/** Requests per second wrk (one thread, 50 connections) gets from `url` in `seconds`. */
async function wrkRequestsPerSecond(url: string, headers: Record<string, string>, seconds: number): Promise<number> {
  const args = ['-t1', '-c50', `-d${seconds}s`, ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]), url];
  const { stdout } = await promisify(execFile)(WRK, args);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1];
  if (!rate || /Non-2xx|Socket errors/.test(stdout)) throw new Error(`wrk ${url} failed:\n${stdout}`);
  return Number(rate);
}

/**
 * What the Server-Timing line costs the server: duet's build with and without it, both started
 * fresh and seeded alike, loaded by wrk in pairs of 4-s runs back to back, order alternating.
 * This VM drifts by ±25 % within a minute, more than any header costs; drift that spans a pair
 * cancels in its ratio, and the median of 12 ratios is the figure. wrk, not autocannon: autocannon
 * parses every response in JavaScript on the bench's core, so there a longer header slows the
 * generator (0.89 measured), not the server.
 */
async function measureServerTimingAB(start: (bundle: string) => Promise<Server>, headers: Record<string, string>, log: (line: string) => void): Promise<PairedAB | undefined> {
  if (!existsSync(WRK)) {
    log('  Server-Timing A/B skipped: apt-get install wrk to include it');
    return undefined;
  }
  const withoutBundle = await buildWithoutServerTiming();
  const sides: { url: string; server: Server }[] = [];
  try {
    for (const bundle of ['dist/main.mjs', withoutBundle]) {
      const server = await start(bundle);
      sides.push({ server, url: `${server.url}/v1/tasks/${(await seed(server.url, headers)).id}` });
    }
    const [a, b] = sides as [(typeof sides)[0], (typeof sides)[0]];
    for (const side of sides) await wrkRequestsPerSecond(side.url, headers, 2);
    const ratios: number[] = [];
    for (let pair = 0; pair < AB_PAIRS; pair++) {
      const first = await wrkRequestsPerSecond((pair % 2 === 0 ? a : b).url, headers, 4);
      const second = await wrkRequestsPerSecond((pair % 2 === 0 ? b : a).url, headers, 4);
      ratios.push(pair % 2 === 0 ? first / second : second / first);
    }
    const sorted = [...ratios].sort((x, y) => x - y);
    const at = (q: number) => Number(sorted[Math.floor(q * (sorted.length - 1))]!.toFixed(3));
    const result: PairedAB = { generator: 'wrk -t1 -c50', pairs: AB_PAIRS, ratios: ratios.map((r) => Number(r.toFixed(3))), median: Number(median(ratios).toFixed(3)), quartiles: [at(0.25), at(0.75)] };
    log(`  Server-Timing A/B, ${AB_PAIRS} pairs (wrk): with ÷ without, median ${result.median} (middle half ${result.quartiles.join('-')})`);
    return result;
  } finally {
    await Promise.all(sides.map(({ server }) => server.stop()));
  }
}

async function seed(url: string, headers: Record<string, string>): Promise<{ id: string; task: unknown }> {
  let task: { id: string } | undefined;
  for (let i = 0; i < 30; i++) {
    const response = await fetch(`${url}/v1/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: `seeded task ${i}`, tags: ['bench'], priority: 'high' }),
    });
    task = (await response.json()) as { id: string };
  }
  return { id: task!.id, task };
}

const scenarios = (id: string, headers: Record<string, string>): { getById: Scenario; list: Scenario; create: Scenario } => ({
  getById: { method: 'GET', path: `/v1/tasks/${id}`, headers },
  list: { method: 'GET', path: '/v1/tasks', headers },
  create: { method: 'POST', path: '/v1/tasks', body: JSON.stringify({ title: 'bench task', tags: ['bench'] }), headers },
});

async function measure(server: Server, chosen: Record<string, Scenario>, log: (line: string) => void, label: string) {
  const out: Record<string, LoadResult> = {};
  try {
    for (const [name, scenario] of Object.entries(chosen)) {
      out[name] = await load(server, scenario);
      log(`  ${label} ${name}: ${out[name].requestsPerSecond} req/s, p99 ${out[name].p99Ms} ms`);
    }
  } finally {
    await server.stop();
  }
  return out;
}

/** The container under load beside its references, all started here and stopped by pid. */
export async function benchContainer(
  stackEnv: Record<string, string>,
  auth: BenchAuth,
  nodes: { runtime: NodeBinary; local?: NodeBinary },
  log: (line: string) => void,
): Promise<ContainerResults> {
  const headers = { 'content-type': 'application/json', authorization: auth.authorization };
  const node = nodes.runtime.path;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const duet = async (env: Record<string, string>, binary = node, bundle = 'dist/main.mjs') => {
    const port = await freePort();
    return startServer(binary, [bundle], { ...env, PORT: String(port), METRICS_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_OPTIONS: imageNodeOptions() }, port);
  };

  const memoryServer = await duet({ ...auth.env, STORE: 'memory' });
  // The same build on the machine's Node, seeded alike, beside it in the alternated rounds only.
  const localServer = nodes.local && (await duet({ ...auth.env, STORE: 'memory' }, nodes.local.path));
  const localId = localServer && (await seed(localServer.url, headers)).id;
  const { id, task } = await seed(memoryServer.url, headers);
  const referenceEnv = { BENCH_TASK: JSON.stringify(task) };
  const reference = async (file: string) => {
    const port = await freePort();
    return startServer(node, [file], { ...referenceEnv, PORT: String(port) }, port, `/v1/tasks/${id}`);
  };
  // First, while duet's store holds only the seeded tasks (the create scenario adds tens of thousands).
  const expressServer = await reference('bench/references/bare-express.mjs');
  const gunicorn = async () => {
    const port = await freePort();
    const args = ['--workers', '4', '--bind', `127.0.0.1:${port}`, '--chdir', 'bench/references', '--log-level', 'warning', 'flask_app:app'];
    return startServer(GUNICORN, args, referenceEnv, port, `/v1/tasks/${id}`);
  };
  const flaskServer = existsSync(GUNICORN) ? await gunicorn() : undefined;
  if (!flaskServer) log('  Flask + gunicorn skipped: apt-get install python3-flask gunicorn to include it');
  const getById = scenarios(id, headers).getById;
  const contenders = {
    duet: { server: memoryServer, scenario: getById },
    express: { server: expressServer, scenario: getById },
    ...(flaskServer && { flask: { server: flaskServer, scenario: getById } }),
    ...(localServer && { duetLocalNode: { server: localServer, scenario: scenarios(localId!, headers).getById } }),
  };
  log(
    `  GET by id alternated, ${ROUNDS} rounds (Node ${nodes.runtime.version}: duet on the memory store, bare Express 5${flaskServer ? '; Flask + gunicorn with 4 workers' : ''}${localServer ? `; duet on Node ${nodes.local!.version} as duetLocalNode` : ''}):`,
  );
  const alternatedGetById = await alternate(contenders, log).catch(async (error) => {
    await Promise.all(Object.values(contenders).map(({ server }) => server.stop()));
    throw error;
  });
  await Promise.all([flaskServer?.stop(), localServer?.stop()]);
  const serverTimingAB = await measureServerTimingAB((bundle) => duet({ ...auth.env, STORE: 'memory' }, node, bundle), headers, log).catch(async (error) => {
    await Promise.all([memoryServer.stop(), expressServer.stop()]);
    throw error;
  });
  // GET by id on these two is measured above, alternated.
  const { list, create } = scenarios(id, headers);
  const others = { list, create };
  const duetMemory = await measure(memoryServer, others, log, 'duet (memory)');

  const dynamoServer = await duet({ ...stackEnv, STORE: 'dynamodb' });
  const seeded = await seed(dynamoServer.url, headers);
  const duetDynamo = await measure(dynamoServer, scenarios(seeded.id, headers), log, 'duet (DynamoDB Local)');

  const bareExpress = await measure(expressServer, others, log, 'bare Express 5');
  const bareNode = await measure(await reference('bench/references/bare-node.mjs'), scenarios(id, headers), log, 'bare node:http');
  return { node: nodes.runtime.version, ...(nodes.local && { localNode: nodes.local.version }), alternatedGetById, serverTimingAB, duetMemory, duetDynamo, bareExpress, bareNode };
}
