import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JAVA_MISSING_MESSAGE } from '../scripts/local-stack.js';

/**
 * Starts compare/stack-main.ts (the `npm start` stack, data under `dataDir`) and waits for its
 * environment; once more if it fails, since DynamoDB Local can miss its start-up deadline on a
 * machine that is busy with something else.
 */
export async function startStackProcess(root: string, dataDir: string): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  try {
    return await startOnce(root, dataDir);
  } catch (error) {
    if (error instanceof Error && error.message === JAVA_MISSING_MESSAGE) throw error;
    return startOnce(root, dataDir);
  }
}

async function startOnce(root: string, dataDir: string): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const child = fork(join(root, 'compare', 'stack-main.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DUET_COMPARE_DATA: dataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [ready] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [undefined])])) as [{ env: Record<string, string> } | undefined];
  if (!ready) throw new Error(/java was not found/i.test(stderr) ? JAVA_MISSING_MESSAGE : `the local stack did not start: ${stderr.slice(-2000)}`);
  return {
    env: ready.env,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}
