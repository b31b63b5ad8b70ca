import type { BlobStore } from '../ports/blob-store.js';
import type { TaskStore } from '../ports/task-store.js';

export type CheckResult = 'ok' | 'failed' | 'timeout';

const CHECK_TIMEOUT_MS = 2000;

/** A check still running at the timeout is aborted, so probes during a stall never pile up calls. */
async function runCheck(check: (signal: AbortSignal) => Promise<void>): Promise<CheckResult> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
      controller.abort();
    }, CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check(controller.signal).then((): CheckResult => 'ok', (): CheckResult => 'failed'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks the table and the bucket in parallel, each bounded by a timeout. */
export async function checkReadiness(deps: { store: TaskStore; blobs: BlobStore; draining: () => boolean }) {
  const [table, bucket] = await Promise.all([runCheck((signal) => deps.store.checkReady(signal)), runCheck((signal) => deps.blobs.checkReady(signal))]);
  const checks: Record<string, CheckResult | 'draining'> = { table, bucket };
  if (deps.draining()) checks.shutdown = 'draining';
  const failing = Object.entries(checks).filter(([, result]) => result !== 'ok').map(([name]) => name);
  return { ready: failing.length === 0, checks, failing };
}
