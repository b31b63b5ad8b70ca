import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensurePortFree, freePort, type RunningService } from './local-stack.js';

const HOST = '127.0.0.1';

/** Whether something accepts connections on the port (serverless-offline listens once its routes exist). */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Passes on whole lines but blank ones and serverless-offline's route table, which it prints with
 * console.log whatever the log level (a box drawn with ┌ │ └).
 */
function quietLines(write: (text: string) => void): (chunk: string) => void {
  let partial = '';
  return (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    const kept = lines.filter((line) => line.trim() !== '' && !/^(?:\x1b\[[\d;]*m)*[┌│└]/.test(line));
    if (kept.length) write(`${kept.join('\n')}\n`);
  };
}

/**
 * Runs serverless-offline (API Gateway + Lambda emulation) for a stage of serverless.yml as a
 * child process on 127.0.0.1. `local` serves per-route functions, `local-lambdalith` one function.
 */
export async function startOffline(options: {
  stage: 'local' | 'local-lambdalith';
  env: Record<string, string>;
  httpPort?: number;
  inheritOutput?: boolean;
  /**
   * Only the functions' own lines (one JSON access line per request, errors with their cause)
   * and serverless-offline's warnings and errors: not its banners, route table, HEAD notices and
   * two lines per invocation (SLS_LOG_LEVEL=warning, the framework's own log level).
   */
  quiet?: boolean;
}): Promise<RunningService & { pid: number }> {
  const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
  const httpPort = options.httpPort ?? (await freePort());
  // Readiness is a connection to this port, so nobody else may hold it.
  await ensurePortFree(httpPort, HOST);
  const lambdaPort = await freePort();
  // serverless.yml builds into .esbuild/<DUET_BUILD_ID>-<stage>: one folder per server, removed on stop.
  const buildId = randomUUID().slice(0, 8);
  const buildDir = join(dirname(createRequire(import.meta.url).resolve('../serverless.yml')), '.esbuild', `${buildId}-${options.stage}`);
  const child = spawn(
    process.execPath,
    [cli, 'offline', 'start', '--stage', options.stage, '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    {
      env: { ...process.env, ...options.env, DUET_BUILD_ID: buildId, SLS_TELEMETRY_DISABLED: '1', ...(options.quiet && { SLS_LOG_LEVEL: 'warning' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = once(child, 'exit');
  let output = '';
  const forward = (stream: NodeJS.ReadableStream) => {
    const write = options.quiet ? quietLines((text) => process.stdout.write(text)) : (text: string) => process.stdout.write(text);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      output += chunk;
      if (options.inheritOutput) write(chunk);
    });
  };
  forward(child.stdout!);
  forward(child.stderr!);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    }
    rmSync(buildDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (!(await accepting(httpPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`serverless-offline did not start:\n${output}`);
    }
    await sleep(100);
  }
  return { endpoint: `http://${HOST}:${httpPort}`, stop, pid: child.pid! };
}
