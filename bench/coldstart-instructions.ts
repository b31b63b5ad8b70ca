// `npm run bench:coldstart-instructions`: instructions each function's cold-start import executes,
// counted by valgrind's callgrind (total Ir), over bare `node -e 0` and over the SDK reference.
// Instruction counts do not drift with the machine's load as the wall clock does (±25 % here), so
// they can be taken while other work runs. Runs differ by about ±1 % (V8's random hash seed), so
// each figure is a median (of 3 unless --runs says). Options: --only tasks,legacy  --runs 5  --local (also on the machine's Node).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleSdkReference, packageBundles } from './lambda.js';
import { benchNodes, type NodeBinary } from './node-runtimes.js';

const { values: options } = parseArgs({
  options: { only: { type: 'string' }, runs: { type: 'string', default: '3' }, local: { type: 'boolean', default: false }, out: { type: 'string', default: 'bench/coldstart-instructions.json' } },
});
const RUNS = Number(options.runs);

/** What each function reads at import; nothing is contacted, as the import makes no request. */
const ENV = {
  TABLE_NAME: 'duet-bench',
  BUCKET_NAME: 'duet-bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AUTH_ISSUER: 'https://issuer.bench.invalid',
  AUTH_AUDIENCE: 'duet',
  AUTH_CLAIMS: 'gateway',
  LOG_LEVEL: 'info',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Total instructions (callgrind's Ir, all threads) of one `node` run, median of RUNS. */
export function countInstructions(node: string, args: string[], env: Record<string, string> = {}): number {
  const counts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', node, ...args], {
      env: { ...process.env, ...ENV, ...env },
      encoding: 'utf8',
    });
    const collected = /Collected : (\d+)/.exec(result.stderr)?.[1];
    if (result.status !== 0 || !collected) throw new Error(`${node} ${args.join(' ')} failed under callgrind (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
    counts.push(Number(collected));
  }
  return median(counts);
}

const importing = (bundle: string) => ['--input-type=module', '-e', `await import(${JSON.stringify(bundle)})`];
const millions = (n: number) => `${n >= 0 ? '+' : ''}${(n / 1e6).toFixed(1)} M`;

export interface InstructionCounts {
  node: string;
  bareNode: number;
  sdkGetItemImport: number;
  imports: Record<string, number>;
  overBare: Record<string, number>;
  overSdk: Record<string, number>;
}

function countOn({ version, path }: NodeBinary, bundles: Record<string, string>, sdk: string): InstructionCounts {
  const bareNode = countInstructions(path, ['-e', '0']);
  const sdkGetItemImport = countInstructions(path, importing(sdk));
  console.log(`Node ${version}: bare node -e 0 ${(bareNode / 1e6).toFixed(1)} M instructions; SDK reference import ${millions(sdkGetItemImport - bareNode)} over bare`);
  const counts: InstructionCounts = { node: version, bareNode, sdkGetItemImport, imports: {}, overBare: {}, overSdk: {} };
  for (const [name, bundle] of Object.entries(bundles)) {
    const count = countInstructions(path, importing(bundle));
    counts.imports[name] = count;
    counts.overBare[name] = count - bareNode;
    counts.overSdk[name] = count - sdkGetItemImport;
    console.log(`  ${name.padEnd(12)} ${millions(counts.overBare[name])} over bare node, ${millions(counts.overSdk[name])} over the SDK reference`);
  }
  return counts;
}

const work = mkdtempSync(join(tmpdir(), 'duet-instructions-'));
try {
  const nodes = benchNodes();
  const { zipBytes, bundles: all } = await packageBundles(join(work, 'package'));
  const only = options.only?.split(',');
  const bundles = Object.fromEntries(Object.entries(all).filter(([name]) => !only || only.includes(name)));
  const sdk = bundleSdkReference(join(work, 'sdk-get-item.mjs'));
  console.log(`Cold-start import, instructions (valgrind --tool=callgrind, median of ${RUNS}); zips: ${Object.entries(zipBytes).map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(', ')}`);
  const results = {
    measuredAt: new Date().toISOString(),
    command: `npm run bench:coldstart-instructions${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    zipBytes,
    runtime: countOn(nodes.runtime, bundles, sdk),
    ...(options.local && nodes.local && { local: countOn(nodes.local, bundles, sdk) }),
  };
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${options.out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
