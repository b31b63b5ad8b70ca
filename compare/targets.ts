import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from '../scripts/local-stack.js';
import type { FunctionStats } from './lambda/pool.js';
import { packageLambda, type LambdaMode, type PackagedMode } from './lambda/package.js';

const run = promisify(execFile);

/** How a target is priced: the container on EKS, or Lambda behind an HTTP API in one of its two modes. */
export type TargetKind = 'container' | 'lambda-routes' | 'lambdalith';

/** What a target's process counted so far (local targets only). */
export interface Counters {
  /** CPU seconds of the container's process. */
  cpuSeconds?: number;
  /** Bytes and lines of log the target wrote (function logs for Lambda, stdout for the container). */
  logBytes?: number;
  logLines?: number;
  /** Lambda's own START/END/REPORT lines. */
  platformLogBytes?: number;
  functions?: Record<string, FunctionStats & { live: number }>;
}

export interface Target {
  name: string;
  kind: TargetKind;
  url: string;
  local: boolean;
  /** Memory (MB) and architecture each Lambda function is packaged with. */
  lambda?: { memoryMb: Record<string, number>; architecture: string; zipBytes: Record<string, number> };
  counters(): Promise<Counters>;
  stop(): Promise<void>;
}

/** A deployed target's kind from its name: `lambdalith…`, `lambda…`, or anything else (a container). */
export function kindOfName(name: string): TargetKind {
  if (/lambdalith/i.test(name)) return 'lambdalith';
  if (/lambda|routes/i.test(name)) return 'lambda-routes';
  return 'container';
}

export function deployedTarget(name: string, url: string): Target {
  return { name, kind: kindOfName(name), url: url.replace(/\/$/, ''), local: false, counters: async () => ({}), stop: async () => {} };
}

function ticksOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
}

/** The container as its image runs it: `npm run build`'s dist/main.mjs, on the given stack. */
export async function startContainerTarget(root: string, env: Record<string, string>): Promise<Target> {
  await run('npm', ['run', '--silent', 'build'], { cwd: root });
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'main.mjs')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logBytes = 0;
  let logLines = 0;
  const count = (chunk: Buffer) => {
    logBytes += chunk.length;
    for (const byte of chunk) if (byte === 10) logLines++;
  };
  child.stdout!.on('data', count);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
    if (await fetch(`${url}/healthz`).then((response) => response.ok, () => false)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the container did not start: ${stderr.slice(-2000)}`);
    }
  }
  return {
    name: 'container',
    kind: 'container',
    url,
    local: true,
    counters: async () => ({ cpuSeconds: ticksOf(child.pid!) / 100, logBytes, logLines }),
    stop: () => stopChild(child),
  };
}

/** A Lambda mode from its `sls package` zips, behind the local HTTP API front (its own process). */
export async function startLambdaTarget(packaged: PackagedMode, root: string, env: Record<string, string>, options: { maxSandboxes?: number; idleMs?: number } = {}): Promise<Target> {
  const functions = packaged.functions.map((fn) => ({
    ...fn,
    // As deployed: the function's packaged environment, with the local stack's endpoints and issuer.
    env: { ...packaged.env[fn.name], ...env, LOG_LEVEL: 'info', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  }));
  const child = fork(join(root, 'compare', 'lambda', 'front-main.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DUET_LAMBDA_FRONT: JSON.stringify({ functions, routes: packaged.routes, ...options }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [listening] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [undefined])])) as [{ url: string } | undefined];
  if (!listening) throw new Error(`the local Lambda front for ${packaged.mode} did not start`);
  const counters = async (): Promise<Counters> => {
    child.send({ type: 'stats' });
    const [{ stats }] = (await once(child, 'message')) as [{ stats: Record<string, FunctionStats & { live: number }> }];
    const all = Object.values(stats);
    return {
      functions: stats,
      logBytes: all.reduce((sum, fn) => sum + fn.functionLogBytes, 0),
      logLines: all.reduce((sum, fn) => sum + fn.functionLogLines, 0),
      platformLogBytes: all.reduce((sum, fn) => sum + fn.platformLogBytes, 0),
    };
  };
  return {
    name: packaged.mode === 'routes' ? 'lambda' : 'lambdalith',
    kind: packaged.mode === 'routes' ? 'lambda-routes' : 'lambdalith',
    url: listening.url,
    local: true,
    lambda: {
      memoryMb: Object.fromEntries(packaged.functions.map((fn) => [fn.name, fn.memoryMb])),
      architecture: packaged.architecture,
      zipBytes: packaged.zipBytes,
    },
    counters,
    stop: () => stopChild(child),
  };
}

/** Both Lambda modes packaged at once (each `sls package` mostly waits on its bundler). */
export function packageBothModes(root: string, cacheDir: string): Promise<Record<LambdaMode, PackagedMode>> {
  return Promise.all([packageLambda('routes', root, cacheDir), packageLambda('lambdalith', root, cacheDir)]).then(([routes, lambdalith]) => ({ routes, lambdalith }));
}
