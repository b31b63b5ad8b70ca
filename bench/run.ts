// `npm run bench`: measures duet beside what a user would pick instead, in one run on this
// machine, prints the ratios docs/design.md budgets, and writes bench/results.json. Loopback only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchIssuer } from './auth.js';
import { benchContainer } from './container.js';
import { countDynamoRequests } from './dynamo-requests.js';
import { benchLambda, DYNAMODB_FUNCTIONS } from './lambda.js';
import { benchNodes } from './node-runtimes.js';
import { ensureBucket, ensureTable, LOCAL_REGION, startDynamoDbLocal, startS3rver } from '../scripts/local-stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const log = (line: string) => console.log(line);
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

const nodes = benchNodes();
const work = mkdtempSync(join(tmpdir(), 'duet-bench-'));
const dynamo = await startDynamoDbLocal();
const s3 = await startS3rver({ directory: join(work, 's3') });
const auth = await startBenchIssuer();
try {
  await ensureTable(dynamo.endpoint, 'duet-bench');
  await ensureBucket(s3.endpoint, 'duet-bench');
  const env = {
    TABLE_NAME: 'duet-bench',
    BUCKET_NAME: 'duet-bench',
    AWS_REGION: LOCAL_REGION,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    S3_ENDPOINT: s3.endpoint,
    ...auth.env,
  };

  log('DynamoDB requests per API operation (instrumented client, DynamoDB Local)');
  const dynamoRequests = await countDynamoRequests(env, auth.authorization);
  for (const [operation, cost] of Object.entries(dynamoRequests)) {
    log(`  ${operation.padEnd(44)} ${cost.status}  ${cost.requests} request(s) ${cost.commands.join(', ')}${cost.consumedCapacity === null ? '' : `  ${cost.consumedCapacity} CU`}`);
  }

  const on = `Node ${nodes.runtime.version}${nodes.local ? ` and, beside it, the machine's ${nodes.local.version}` : ''}`;
  log(`Lambda: bundles and cold-start proxy (${on})`);
  const lambda = await benchLambda(join(work, 'lambda'), env, auth, nodes, log);

  log(`Container under load (50 connections, 10 s after 2 s warm-up; Node ${nodes.runtime.version})`);
  const container = await benchContainer(env, auth, nodes, log);

  const get = (results: typeof container.duetMemory) => results.getById!;
  const { duet, express, flask } = container.alternatedGetById.medians;
  const ratios = {
    getById_duetMemory_vs_bareExpress_alternated: ratio(duet!.requestsPerSecond, express!.requestsPerSecond),
    ...(container.serverTimingAB && { getById_withServerTiming_vs_without_pairedMedian: container.serverTimingAB.median }),
    ...(flask && {
      getById_duetMemory_vs_flask_perCpuSecond_alternated: ratio(duet!.requestsPerCpuSecond, flask.requestsPerCpuSecond),
      getById_duetMemory_vs_flask_perSecond_alternated: ratio(duet!.requestsPerSecond, flask.requestsPerSecond),
    }),
    getById_duetMemory_vs_bareNode: ratio(duet!.requestsPerSecond, get(container.bareNode).requestsPerSecond),
    list_duetMemory_vs_bareExpress: ratio(container.duetMemory.list!.requestsPerSecond, container.bareExpress.list!.requestsPerSecond),
    create_duetMemory_vs_bareExpress: ratio(container.duetMemory.create!.requestsPerSecond, container.bareExpress.create!.requestsPerSecond),
    getById_duetDynamo_vs_duetMemory: ratio(get(container.duetDynamo).requestsPerSecond, duet!.requestsPerSecond),
  };
  const cold = lambda.coldStarts;
  const largestRouteZip = Math.max(...Object.entries(lambda.zipBytes).filter(([name]) => name !== 'api').map(([, bytes]) => bytes));
  const budgets = {
    'GET by id ≥ 1.5 × bare Express 5 (median of alternated rounds)': ratios.getById_duetMemory_vs_bareExpress_alternated >= 1.5,
    'GET by id ≥ 3 × Flask + gunicorn per CPU-second (medians)': flask ? ratios.getById_duetMemory_vs_flask_perCpuSecond_alternated! >= 3 : 'not measured',
    'GET by id ≥ 3 × Flask + gunicorn per second (medians)': flask ? ratios.getById_duetMemory_vs_flask_perSecond_alternated! >= 3 : 'not measured',
    'Server-Timing costs no measurable throughput: with ≥ 0.95 × without (median of 12 paired runs, wrk)': container.serverTimingAB ? container.serverTimingAB.median >= 0.95 : 'not measured',
    'p99 GET by id ≤ 10 ms (memory, 50 connections, median)': duet!.p99Ms <= 10,
    'every per-route zip < lambdalith zip': largestRouteZip < lambda.zipBytes.api!,
    'per-route functions on DynamoDB: cold start ≤ SDK reference + 15 ms (Node 22, medians)': DYNAMODB_FUNCTIONS.every((name) => cold.coldStartOverSdkMs[name]! <= 15),
    'legacy: cold start ≤ bare node + 30 ms (Node 22, medians)': cold.coldStartOverBareMs.legacy! <= 30,
    'lambdalith: cold start ≤ SDK reference + 100 ms (Node 22, medians)': cold.coldStartOverSdkMs.api! <= 100,
    'one DynamoDB request per operation (where the model allows)': Object.entries(dynamoRequests).every(
      ([operation, cost]) => cost.requests <= 1 || /^(PATCH|DELETE \/v1\/tasks\/\{id\})/.test(operation),
    ),
  };

  log('Ratios (same run, same machine)');
  for (const [name, value] of Object.entries(ratios)) log(`  ${name.padEnd(44)} ${value}`);
  log('Budgets (docs/design.md)');
  for (const [name, met] of Object.entries(budgets)) log(`  ${met === true ? 'met    ' : met === false ? 'MISSED ' : 'n/a    '} ${name}`);

  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, runtimeNode: nodes.runtime.version },
    container,
    lambda,
    dynamoRequests,
    ratios,
    budgets,
  };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  log('Wrote bench/results.json');
} finally {
  await Promise.all([dynamo.stop(), s3.stop(), auth.stop()]);
  rmSync(work, { recursive: true, force: true });
}
