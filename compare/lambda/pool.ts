import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SANDBOX = fileURLToPath(new URL('./sandbox.mjs', import.meta.url));

export interface FunctionConfig {
  name: string;
  /** The bundle from the function's zip and the export its handler names. */
  bundle: string;
  exportName: string;
  memoryMb: number;
  timeoutS: number;
  env: Record<string, string>;
}

/** The START, END and REPORT lines Lambda writes to a function's log for each invocation (text format). */
export function lambdaPlatformLines(requestId: string, durationMs: number, memoryMb: number, rssMb: number, initMs?: number): string {
  const billed = Math.ceil(durationMs + (initMs ?? 0));
  return (
    `START RequestId: ${requestId} Version: $LATEST\n` +
    `END RequestId: ${requestId}\n` +
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: ${Math.ceil(rssMb)} MB\t` +
    `${initMs === undefined ? '' : `Init Duration: ${initMs.toFixed(2)} ms\t`}\n`
  );
}

export interface InvokeOutcome {
  /** Waited for a sandbox because the local cap on sandboxes was reached (Lambda would have started another). */
  queued: boolean;
  result?: unknown;
  failed: boolean;
  coldStart: boolean;
  /** Spawn to bundle imported: what Lambda reports as Init Duration. */
  initMs?: number;
  durationMs: number;
  requestId: string;
}

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  /** Requests that waited for a free sandbox at the local cap (Lambda would have started one). */
  queued: number;
  failures: number;
  /** Sandbox INIT durations (spawn to ready), one per cold start. */
  initMs: number[];
  peakSandboxes: number;
  reaped: number;
  /** Bytes the function wrote to stdout and stderr (its log lines). */
  functionLogBytes: number;
  functionLogLines: number;
  /** START, END and REPORT lines as Lambda writes them for each invocation. */
  platformLogBytes: number;
}

interface Sandbox {
  child: ChildProcess;
  busy: boolean;
  lastUsed: number;
  ready: Promise<void>;
  pending?: { id: number; resolve(message: SandboxMessage): void };
}

type Reply = { type: 'result'; id: number; result: unknown; durationMs: number; rssMb: number } | { type: 'error'; id: number; durationMs: number; rssMb: number };
/** What a sandbox sends; `exit` stands for a sandbox that died before it answered. */
type SandboxMessage = { type: 'ready' } | Reply | { type: 'exit' };

/**
 * The sandboxes of one function, as Lambda keeps them: each a process that imported the bundle
 * once and takes one event at a time; a request that finds every sandbox busy starts a new one
 * (a cold start), idle ones are reused (the most recently used first) and reaped after `idleMs`.
 * Locally at most `maxSandboxes` start (each is a Node process on this machine's few cores);
 * past that a request waits for the next free one, and `queued` says how often.
 */
export function createFunctionPool(config: FunctionConfig, { maxSandboxes = 4, idleMs = 300_000 } = {}) {
  const sandboxes: Sandbox[] = [];
  const stats: FunctionStats = {
    invocations: 0,
    coldStarts: 0,
    queued: 0,
    failures: 0,
    initMs: [],
    peakSandboxes: 0,
    reaped: 0,
    functionLogBytes: 0,
    functionLogLines: 0,
    platformLogBytes: 0,
  };
  let nextId = 0;

  const countLog = (chunk: Buffer) => {
    stats.functionLogBytes += chunk.length;
    for (const byte of chunk) if (byte === 10) stats.functionLogLines++;
  };

  function spawnSandbox(): { sandbox: Sandbox; initMs: Promise<number> } {
    const started = performance.now();
    const child = fork(SANDBOX, [config.bundle, config.exportName], {
      env: {
        PATH: process.env.PATH ?? '',
        ...config.env,
        AWS_LAMBDA_FUNCTION_NAME: config.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    child.stdout!.on('data', countLog);
    child.stderr!.on('data', countLog);
    const sandbox: Sandbox = { child, busy: true, lastUsed: performance.now(), ready: Promise.resolve() };
    child.on('message', (message: SandboxMessage) => {
      if ((message.type === 'result' || message.type === 'error') && sandbox.pending?.id === message.id) sandbox.pending.resolve(message);
    });
    child.once('exit', () => {
      sandbox.pending?.resolve({ type: 'exit' });
      const at = sandboxes.indexOf(sandbox);
      if (at !== -1) sandboxes.splice(at, 1);
    });
    const initMs = Promise.race([
      once(child, 'message').then(() => performance.now() - started),
      once(child, 'exit').then(() => {
        throw new Error(`sandbox of ${config.name} exited during INIT`);
      }),
    ]);
    sandbox.ready = initMs.then(() => undefined);
    sandboxes.push(sandbox);
    stats.peakSandboxes = Math.max(stats.peakSandboxes, sandboxes.length);
    return { sandbox, initMs };
  }

  const waiting: ((sandbox: Sandbox) => void)[] = [];
  /** Hands a sandbox that just finished to the longest-waiting request, or marks it idle. */
  const release = (sandbox: Sandbox) => {
    sandbox.lastUsed = performance.now();
    const next = waiting.shift();
    if (next) next(sandbox);
    else sandbox.busy = false;
  };

  /** An idle sandbox (the most recently used: the others keep ageing towards their reaping), a new one, or, at the cap, the next to finish. */
  async function acquire(): Promise<{ sandbox: Sandbox; initMs?: number; queued: boolean } | undefined> {
    const idle = sandboxes.filter((candidate) => !candidate.busy).sort((a, b) => b.lastUsed - a.lastUsed)[0];
    if (idle) {
      idle.busy = true;
      return { sandbox: idle, queued: false };
    }
    if (sandboxes.length >= maxSandboxes) {
      stats.queued++;
      return { sandbox: await new Promise<Sandbox>((resolve) => waiting.push(resolve)), queued: true };
    }
    const spawned = spawnSandbox();
    stats.coldStarts++;
    try {
      const initMs = await spawned.initMs;
      stats.initMs.push(initMs);
      return { sandbox: spawned.sandbox, initMs, queued: false };
    } catch {
      return undefined;
    }
  }

  async function invoke(event: { requestContext: { requestId: string } }): Promise<InvokeOutcome> {
    const requestId = event.requestContext.requestId;
    stats.invocations++;
    const acquired = await acquire();
    if (!acquired) {
      stats.failures++;
      return { failed: true, queued: false, coldStart: true, durationMs: 0, requestId };
    }
    const { sandbox, initMs, queued } = acquired;
    const id = nextId++;
    const reply = new Promise<SandboxMessage>((resolve) => (sandbox.pending = { id, resolve }));
    sandbox.child.send({ id, event, deadlineMs: config.timeoutS * 1000 });
    const timeout = setTimeout(() => sandbox.child.kill('SIGKILL'), config.timeoutS * 1000);
    const message = await reply;
    clearTimeout(timeout);
    delete sandbox.pending;
    if (message.type === 'exit') {
      // A dead sandbox is gone (its exit handler removed it); a waiting request gets a new one.
      const next = waiting.shift();
      if (next) void acquireFresh().then((fresh) => (fresh ? next(fresh) : undefined));
    } else release(sandbox);
    const durationMs = message.type === 'result' || message.type === 'error' ? message.durationMs : config.timeoutS * 1000;
    const rssMb = message.type === 'result' || message.type === 'error' ? message.rssMb : 0;
    stats.platformLogBytes += Buffer.byteLength(lambdaPlatformLines(requestId, durationMs, config.memoryMb, rssMb, initMs));
    const common = { queued, coldStart: initMs !== undefined, ...(initMs !== undefined && { initMs }), durationMs, requestId };
    if (message.type !== 'result') {
      stats.failures++;
      return { failed: true, ...common };
    }
    return { result: message.result, failed: false, ...common };
  }

  async function acquireFresh(): Promise<Sandbox | undefined> {
    const spawned = spawnSandbox();
    stats.coldStarts++;
    try {
      stats.initMs.push(await spawned.initMs);
      return spawned.sandbox;
    } catch {
      return undefined;
    }
  }

  const reaper = setInterval(() => {
    const now = performance.now();
    for (const sandbox of [...sandboxes]) {
      if (!sandbox.busy && now - sandbox.lastUsed > idleMs) {
        stats.reaped++;
        sandbox.child.kill('SIGTERM');
        sandboxes.splice(sandboxes.indexOf(sandbox), 1);
      }
    }
  }, Math.min(1000, idleMs));
  reaper.unref();

  return {
    invoke,
    stats: () => ({ ...stats, initMs: [...stats.initMs], live: sandboxes.length }),
    /** Stops every sandbox, each by its own process. */
    async stop() {
      clearInterval(reaper);
      await Promise.all(
        sandboxes.splice(0).map(async ({ child }) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          await exited;
        }),
      );
    },
  };
}
export type FunctionPool = ReturnType<typeof createFunctionPool>;
