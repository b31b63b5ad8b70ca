import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts a server process and waits until it answers `probePath`; stopped by its own pid. */
export async function startServer(command: string, args: string[], env: Record<string, string>, port: number, probePath = '/healthz'): Promise<Server> {
  const child: ChildProcess = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(25_000).then(() => child.kill('SIGKILL'))]);
  };
  for (const deadline = Date.now() + 30_000; ; ) {
    const answered = await fetch(`${url}${probePath}`).then((response) => response.status < 500, () => false);
    if (answered) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${command} ${args.join(' ')} did not start: ${stderr}`);
    }
    await sleep(100);
  }
  return { url, pid: child.pid!, stop };
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** User + system CPU seconds of a process and all its descendants (gunicorn's workers, say). */
export function treeCpuSeconds(pid: number): number {
  let total = 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
  for (const child of children(pid)) total += treeCpuSeconds(child);
  return total;
}

/** Resident set size in MB of a process tree. */
export function treeRssMb(pid: number): number {
  let kb = 0;
  try {
    kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
  return kb / 1024 + children(pid).reduce((sum, child) => sum + treeRssMb(child), 0);
}
