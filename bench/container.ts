import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { BenchAuth } from './auth.js';
import { load, type LoadResult, type Scenario } from './http.js';
import { imageNodeOptions } from './image.js';
import { startServer, type Server } from './processes.js';
import { freePort } from '../scripts/local-stack.js';

const GUNICORN = '/usr/bin/gunicorn';

export interface ContainerResults {
  duetMemory: Record<string, LoadResult>;
  duetDynamo: Record<string, LoadResult>;
  bareExpress: Record<string, LoadResult>;
  bareNode: Record<string, LoadResult>;
  flaskGunicorn?: Record<string, LoadResult>;
  /** GET by id on duet (memory) and bare Express, alternated round by round (this VM's speed drifts by the minute). */
  alternatedGetById: { rounds: number; duetRequestsPerSecond: number[]; bareExpressRequestsPerSecond: number[]; ratioOfMedians: number };
}

const ROUNDS = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function alternate(duet: Server, express: Server, scenario: Scenario, log: (line: string) => void): Promise<ContainerResults['alternatedGetById']> {
  const duetRequestsPerSecond: number[] = [];
  const bareExpressRequestsPerSecond: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    duetRequestsPerSecond.push((await load(duet, scenario)).requestsPerSecond);
    bareExpressRequestsPerSecond.push((await load(express, scenario)).requestsPerSecond);
    log(`  round ${round + 1}: duet ${duetRequestsPerSecond.at(-1)} req/s, bare Express ${bareExpressRequestsPerSecond.at(-1)} req/s`);
  }
  const ratioOfMedians = Math.round((median(duetRequestsPerSecond) / median(bareExpressRequestsPerSecond)) * 100) / 100;
  return { rounds: ROUNDS, duetRequestsPerSecond, bareExpressRequestsPerSecond, ratioOfMedians };
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
export async function benchContainer(stackEnv: Record<string, string>, auth: BenchAuth, log: (line: string) => void): Promise<ContainerResults> {
  const headers = { 'content-type': 'application/json', authorization: auth.authorization };
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const duet = async (env: Record<string, string>) => {
    const port = await freePort();
    return startServer(process.execPath, ['dist/main.mjs'], { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_OPTIONS: imageNodeOptions() }, port);
  };

  const memoryServer = await duet({ ...auth.env, STORE: 'memory' });
  const { id, task } = await seed(memoryServer.url, headers);
  const referenceEnv = { BENCH_TASK: JSON.stringify(task) };
  const reference = async (file: string) => {
    const port = await freePort();
    return startServer(process.execPath, [file], { ...referenceEnv, PORT: String(port) }, port, `/v1/tasks/${id}`);
  };
  // First, while duet's store holds only the seeded tasks (the create scenario adds tens of thousands).
  const expressServer = await reference('bench/references/bare-express.mjs');
  log(`  GET by id, duet (memory) and bare Express alternated, ${ROUNDS} rounds:`);
  const alternatedGetById = await alternate(memoryServer, expressServer, scenarios(id, headers).getById, log).catch(async (error) => {
    await Promise.all([memoryServer.stop(), expressServer.stop()]);
    throw error;
  });
  const duetMemory = await measure(memoryServer, scenarios(id, headers), log, 'duet (memory)');

  const dynamoServer = await duet({ ...stackEnv, STORE: 'dynamodb' });
  const seeded = await seed(dynamoServer.url, headers);
  const duetDynamo = await measure(dynamoServer, scenarios(seeded.id, headers), log, 'duet (DynamoDB Local)');

  const bareExpress = await measure(expressServer, scenarios(id, headers), log, 'bare Express 5');
  const bareNode = await measure(await reference('bench/references/bare-node.mjs'), scenarios(id, headers), log, 'bare node:http');

  if (!existsSync(GUNICORN)) {
    log('  Flask + gunicorn skipped: apt-get install python3-flask gunicorn to include it');
    return { duetMemory, duetDynamo, bareExpress, bareNode, alternatedGetById };
  }
  const port = await freePort();
  const flask = await startServer(
    GUNICORN,
    ['--workers', '4', '--bind', `127.0.0.1:${port}`, '--chdir', 'bench/references', '--log-level', 'warning', 'flask_app:app'],
    referenceEnv,
    port,
    `/v1/tasks/${id}`,
  );
  const flaskGunicorn = await measure(flask, { getById: scenarios(id, headers).getById }, log, 'Flask + gunicorn (4 workers)');
  return { duetMemory, duetDynamo, bareExpress, bareNode, flaskGunicorn, alternatedGetById };
}
