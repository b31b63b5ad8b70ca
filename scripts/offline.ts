import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, type RunningService } from './local-stack.js';

/**
 * Runs serverless-offline (API Gateway + Lambda emulation) for a stage of serverless.yml as a
 * child process on 127.0.0.1. `local` serves per-route functions, `local-lambdalith` one function.
 */
export async function startOffline(options: {
  stage: 'local' | 'local-lambdalith';
  env: Record<string, string>;
  httpPort?: number;
  inheritOutput?: boolean;
}): Promise<RunningService & { pid: number }> {
  const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
  const httpPort = options.httpPort ?? (await freePort());
  const lambdaPort = await freePort();
  // serverless.yml builds into .esbuild/<DUET_BUILD_ID>-<stage>: one folder per server, removed on stop.
  const buildId = randomUUID().slice(0, 8);
  const buildDir = join(dirname(createRequire(import.meta.url).resolve('../serverless.yml')), '.esbuild', `${buildId}-${options.stage}`);
  const child = spawn(
    process.execPath,
    [cli, 'offline', 'start', '--stage', options.stage, '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    { env: { ...process.env, ...options.env, DUET_BUILD_ID: buildId, SLS_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = once(child, 'exit');
  let output = '';
  const onOutput = (chunk: Buffer) => {
    output += chunk;
    if (options.inheritOutput) process.stdout.write(chunk);
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    }
    rmSync(buildDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (!output.includes('Server ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`serverless-offline did not start:\n${output}`);
    }
    await sleep(100);
  }
  return { endpoint: `http://127.0.0.1:${httpPort}`, stop, pid: child.pid! };
}
