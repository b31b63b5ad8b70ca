import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = resolve(import.meta.dirname, '../..');

export interface RunningScript {
  pid: number;
  stdout(): string;
  stderr(): string;
  exit: Promise<number | null>;
}

/**
 * `npm run <script>` as a user runs it, in the repository, in its own process group (npm, its
 * shell, node and whatever that starts), so stopGroup() can stop all of it by the leader's pid.
 */
export function runNpmScript(script: string, env: Record<string, string>, args: string[] = []): RunningScript {
  const child = spawn('npm', ['run', script, ...(args.length ? ['--', ...args] : [])], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { pid: child.pid!, stdout: () => stdout, stderr: () => stderr, exit: once(child, 'exit').then(([code]) => code as number | null) };
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the group by its leader's pid: SIGTERM (the scripts drain and stop their stand-ins), then
 * SIGKILL for whatever is left after 30 s. Resolves whether the group ended by itself.
 */
export async function stopGroup(run: RunningScript): Promise<boolean> {
  if (groupAlive(run.pid)) process.kill(-run.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (groupAlive(run.pid) && Date.now() < deadline) await sleep(100);
  if (!groupAlive(run.pid)) return true;
  process.kill(-run.pid, 'SIGKILL');
  return false;
}

/** Resolves the banner (stderr) once `done` holds for the script's output; fails if the script exits first. */
export async function untilBanner(run: RunningScript, done: (stdout: string, stderr: string) => boolean, timeoutMs = 150_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!done(run.stdout(), run.stderr())) {
    const exited = await Promise.race([run.exit.then(() => true), sleep(100).then(() => false)]);
    if (exited || Date.now() > deadline) throw new Error(`the script did not come up:\n${run.stdout()}\n${run.stderr()}`);
  }
  return run.stderr();
}
