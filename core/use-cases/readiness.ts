import type { BlobStore } from '../ports/blob-store.js';
import type { TaskStore } from '../ports/task-store.js';

export type CheckResult = 'ok' | 'failed' | 'timeout';

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(check: () => Promise<void>): Promise<CheckResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().then((): CheckResult => 'ok', (): CheckResult => 'failed'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks the table and the bucket in parallel, each bounded by a timeout. */
export async function checkReadiness(deps: { store: TaskStore; blobs: BlobStore; draining: () => boolean }) {
  const [table, bucket] = await Promise.all([runCheck(() => deps.store.checkReady()), runCheck(() => deps.blobs.checkReady())]);
  const checks: Record<string, CheckResult | 'draining'> = { table, bucket };
  if (deps.draining()) checks.shutdown = 'draining';
  const failing = Object.entries(checks).filter(([, result]) => result !== 'ok').map(([name]) => name);
  return { ready: failing.length === 0, checks, failing };
}
