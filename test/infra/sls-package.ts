import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');

export type Mode = 'routes' | 'lambdalith';
export type PackagedStage = 'dev' | 'prod' | 'local';
export interface Combination {
  mode: Mode;
  stage: PackagedStage;
}

/** Every deployed stage in both modes, and the local stage serverless-offline runs. */
export const COMBINATIONS: Combination[] = [
  { mode: 'routes', stage: 'dev' },
  { mode: 'routes', stage: 'prod' },
  { mode: 'lambdalith', stage: 'dev' },
  { mode: 'lambdalith', stage: 'prod' },
  { mode: 'lambdalith', stage: 'local' },
];

/**
 * How packaging is cut off from the network: a new network namespace where root may make one
 * (`unshare -n`: not even loopback is up), and always no AWS credentials, no instance metadata
 * and an endpoint nothing listens on, so any AWS call fails at once.
 */
export const NO_NETWORK = spawnSync('unshare', ['-n', 'true']).status === 0 ? 'unshare -n' : 'no credentials, unreachable endpoint';

const offlineEnv = () => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  SLS_TELEMETRY_DISABLED: '1',
});

export interface Packaged extends Combination {
  dir: string;
  template: { Resources: Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }>; Outputs?: Record<string, any> };
  zips: string[];
}

/** `sls package` of one combination into its own folder, with no network. */
async function packageOne(root: string, { mode, stage }: Combination): Promise<Packaged> {
  const dir = join(root, `${mode}-${stage}`);
  const buildId = `test-${mode}`;
  const args = [cli, 'package', '--package', dir, '--stage', stage, `--param=mode=${mode}`];
  const [command, argv] = NO_NETWORK === 'unshare -n' ? ['unshare', ['-n', process.execPath, ...args]] : [process.execPath, args];
  try {
    await run(command, argv, { env: { ...offlineEnv(), DUET_BUILD_ID: buildId }, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`sls package --stage ${stage} (${mode}) failed offline:\n${stdout}\n${stderr}`);
  } finally {
    rmSync(join('.esbuild', `${buildId}-${stage}`), { recursive: true, force: true });
  }
  const files = readdirSync(dir);
  return {
    mode,
    stage,
    dir,
    template: JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')),
    zips: files.filter((name) => name.endsWith('.zip')).map((name) => name.replace(/\.zip$/, '')),
  };
}

/** Packages every combination once, one after another (serverless-esbuild stages zips in the shared .serverless/). */
export async function packageAll(): Promise<{ packages: Packaged[]; cleanup: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'duet-sls-'));
  const packages: Packaged[] = [];
  try {
    for (const combination of COMBINATIONS) packages.push(await packageOne(root, combination));
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { packages, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface LintFinding {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Filename: string;
}

/** cfn-lint (1.x, preinstalled) over the given templates in one run; its findings, every level. */
export async function cfnLint(templates: string[]): Promise<{ version: string; findings: LintFinding[] }> {
  let version: string;
  try {
    version = (await run('cfn-lint', ['--version'])).stdout.trim();
  } catch {
    throw new Error('cfn-lint is not installed: the infra tests need cfn-lint 1.x on PATH');
  }
  // Exit codes are a bit mask of the levels found (2 errors, 4 warnings, 8 informational); the JSON says which.
  const output = await run('cfn-lint', ['--format', 'json', ...templates], { maxBuffer: 64 * 1024 * 1024 }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  return { version, findings: output.trim() ? (JSON.parse(output) as LintFinding[]) : [] };
}
