import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadOrCreateDevKey, signDevToken } from '../scripts/dev-issuer.js';
import type { Options } from './args.js';
import { measureCapacity, type OperationCapacity } from './capacity.js';
import { priceTargets, verdict } from './costs.js';
import { runOpenLoop } from './load.js';
import { summarise, type TargetResult } from './measure.js';
import { readClusterSpec, type DataMeasure } from './model.js';
import { createPlanner, taskBody } from './operations.js';
import { DEFAULT_PRICES, loadPrices } from './prices.js';
import { renderHtml } from './report/html.js';
import type { CompareReport } from './report/report.js';
import { renderTable } from './report/table.js';
import { startStackProcess } from './stack.js';
import { deployedTarget, packageBothModes, startContainerTarget, startLambdaTarget, type Target } from './targets.js';
import { createChooser, DEFAULT_WORKLOAD_FILE, loadWorkload, type OperationKind, type Workload } from './workload.js';

const LOCAL_NOTES = [
  'Locally every target runs on this machine beside the load generator and DynamoDB Local: absolute latencies are this machine’s, not AWS’s; compare the targets with each other.',
  'The local Lambda runner leaves out what only AWS has: API Gateway’s own latency (typically a few milliseconds), the network, and Lambda’s placement of sandboxes on hosts. Deployed targets are measured end to end.',
  'Sandbox INIT is measured from process spawn to the bundle imported (Node’s own start included, as Lambda’s Init Duration is); init;dur is the function’s own clock, from its bundle’s first module, so it misses reading and compiling the bundle.',
  'The cold-start share is the run’s: a month at another rate or shape has more (quiet hours, when sandboxes are reaped) or fewer.',
  'DynamoDB request units come from DynamoDB Local’s reported consumed capacity, which follows DynamoDB’s rules for item sizes and transactions.',
];
const DEPLOYED_NOTES = [
  'Deployed targets are measured end to end from this machine: the network to them is in every latency.',
  'Their log volume cannot be read from here: Lambda’s START/END/REPORT lines are estimated, the service’s own lines are not priced.',
  'EKS pods are sized from app;dur, which counts time waiting on DynamoDB too: an upper bound on the CPU a request takes.',
];

export interface RunDeps {
  root: string;
  log: (line: string) => void;
  progress: (line: string) => void;
}

async function seed(target: Target, headers: Record<string, string>, workload: Workload, planner: ReturnType<typeof createPlanner>) {
  for (let n = 0; n < workload.seedTasks; n++) {
    const response = await fetch(`${target.url}/v1/tasks`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: taskBody(n) });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`seeding ${target.name} failed: ${response.status} ${text.slice(0, 300)}`);
    planner.seeded(text);
  }
}

async function drive(target: Target, options: Options, workload: Workload, token: string, deps: RunDeps): Promise<TargetResult> {
  const headers = { authorization: `Bearer ${token}` };
  const planner = createPlanner(workload, createChooser(workload.seed), randomUUID().slice(0, 8));
  await seed(target, headers, workload, planner);
  const before = await target.counters();
  const load = await runOpenLoop({
    baseUrl: target.url,
    rate: options.rate,
    durationS: options.durationS,
    headers,
    next: () => planner.next(),
    onProgress: (done, scheduled) => deps.progress(`  ${target.name}: ${done} of ${scheduled} requests answered`),
  });
  // Let the target's last log lines reach its pipe before they are counted.
  await sleep(300);
  const after = await target.counters();
  const result = summarise(target, load, before, after);
  deps.log(`  ${target.name}: ${load.completed} requests, ${load.errors} failed, p99 ${result.overall.latencyMs.p99} ms${result.refusal ? `; NOT PRICED: ${result.refusal}` : ''}`);
  return result;
}

/** Request units per API request, the workload's mix applied to each operation's measured units. */
function dataMeasure(capacity: Record<OperationKind, OperationCapacity>, workload: Workload): DataMeasure {
  const total = workload.operations.reduce((sum, operation) => sum + operation.weight, 0);
  const weighted = (key: keyof OperationCapacity) => workload.operations.reduce((sum, operation) => sum + (capacity[operation.kind][key] * operation.weight) / total, 0);
  return { readUnitsPerRequest: weighted('readUnits'), writeUnitsPerRequest: weighted('writeUnits'), s3WritesPerRequest: weighted('s3Writes'), s3ReadsPerRequest: weighted('s3Reads') };
}

/** `npm run compare`: drives every target with the same workload, prices them, writes the report. */
export async function runCompare(options: Options, deps: RunDeps): Promise<CompareReport> {
  const { root, log } = deps;
  const workload = loadWorkload(options.workload ? resolve(options.workload) : DEFAULT_WORKLOAD_FILE);
  const pricesFile = options.prices ? resolve(options.prices) : DEFAULT_PRICES;
  const prices = loadPrices(pricesFile);
  const cluster = readClusterSpec(root);
  const local = options.targets.length === 0;
  const runId = randomUUID().slice(0, 8);
  const perTarget = options.durationS + 5 + workload.seedTasks * 0.05;
  const targetsCount = local ? 3 : options.targets.length;
  log(
    `compare: ${targetsCount} target(s) × ${options.durationS} s at ${options.rate} requests/s; about ${Math.round(targetsCount * perTarget + (local ? 90 : 20))} s in all` +
      (local ? ' (the first run packages both Lambda modes, about a minute; later runs reuse the zips)' : ''),
  );
  const stops: (() => Promise<void>)[] = [];
  try {
    // Locally the stack's own process; deployed, a private stack only to measure request units.
    // Apart from npm start's .data/dynamodb, which a running npm start holds; DUET_COMPARE_DATA moves it (tests).
    const dataDir = local ? (process.env.DUET_COMPARE_DATA ?? join(root, '.data', 'compare')) : join(tmpdir(), `duet-compare-${runId}`);
    const stack = await startStackProcess(root, dataDir).catch((error: unknown) => {
      if (local) throw error;
      log(`  DynamoDB request units not measured: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (stack) stops.push(stack.stop);
    const key = await loadOrCreateDevKey(dataDir);
    const iss = stack?.env.AUTH_ISSUER;
    const tokenFor = (sub: string) => signDevToken(key, { sub, ttl: 4 * 3600, ...(iss && { iss }) });
    const targets: Target[] = [];
    if (local) {
      log('  building the container and packaging both Lambda modes');
      const [container, packaged] = await Promise.all([startContainerTarget(root, stack!.env), packageBothModes(root, join(root, '.compare-cache'))]);
      stops.push(container.stop);
      targets.push(container);
      for (const mode of ['routes', 'lambdalith'] as const) {
        const target = await startLambdaTarget(packaged[mode], root, stack!.env);
        stops.push(target.stop);
        targets.push(target);
      }
    } else targets.push(...options.targets.map(({ name, url }) => deployedTarget(name, url)));

    const results: TargetResult[] = [];
    for (const target of targets) {
      log(`- ${target.name} (${target.url})`);
      // Locally each target gets a fresh tenant; deployed, the token's.
      const token = local ? await tokenFor(`compare-${runId}-${target.name}`) : options.token!;
      results.push(await drive(target, options, workload, token, deps));
    }
    let capacity: Record<OperationKind, OperationCapacity> | undefined;
    if (stack) {
      log('- DynamoDB request units per operation');
      capacity = await measureCapacity(stack.env, `Bearer ${await tokenFor(`compare-${runId}-capacity`)}`, workload);
    }
    const costs = priceTargets(results, prices, cluster, options.monthlyRequests, options.freeTier, capacity && dataMeasure(capacity, workload));
    const report: CompareReport = {
      version: 1,
      generatedAt: new Date().toISOString(),
      verdict: verdict(results, costs),
      inputs: {
        mode: local ? 'local' : 'deployed',
        rate: options.rate,
        durationS: options.durationS,
        monthlyRequests: options.monthlyRequests,
        freeTier: options.freeTier,
        workload,
        pricesFile: pricesFile.startsWith(root) ? pricesFile.slice(root.length + 1) : pricesFile,
        cluster,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      },
      targets: results,
      ...(capacity && { capacity }),
      costs,
      prices,
      notes: local ? LOCAL_NOTES : DEPLOYED_NOTES,
    };
    const out = resolve(options.out);
    if (!existsSync(out)) mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(out, 'report.html'), renderHtml(report));
    log(`\n${renderTable(report)}`);
    log(`wrote ${join(out, 'report.html')} and report.json`);
    return report;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}
