import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import * as hdr from 'hdr-histogram-js';
import type { PlannedRequest } from './operations.js';

/** Latencies in microseconds, 1 µs to 2 minutes at 3 significant digits. */
export const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
export type Histogram = ReturnType<typeof newHistogram>;

/**
 * A send counts as late when the generator itself sent it this long after its scheduled time
 * (its own lag: a busy event loop, or a machine that did not give it a core in time).
 */
export const LATE_MS = 50;
const TIMEOUT_MS = 15_000;

export interface OperationSample {
  /** From each request's scheduled send time to its last byte (open loop: coordinated omission corrected). */
  latency: Histogram;
  /** Server-Timing app;dur of each response. */
  app: Histogram;
  statuses: Record<string, number>;
  /** Sums over the responses that carried app;dur: its milliseconds, and each rounded up to a whole one (Lambda's billing). */
  appSumMs: number;
  billedSumMs: number;
  requestBytes: number;
  responseBytes: number;
}

export interface LoadResult {
  rate: number;
  durationS: number;
  scheduled: number;
  completed: number;
  errors: number;
  /** Sends the generator made more than LATE_MS after schedule: its own lag, not the target's. */
  late: number;
  /** How far behind schedule sends went out, milliseconds (p50, p99, max). */
  sendLagMs: Record<string, number>;
  achievedRate: number;
  /** The generator's own CPU seconds per wall second while it ran (1 = one full core). */
  generatorCpu: number;
  operations: Record<string, OperationSample>;
  /** init;dur of each response that carried one: a Lambda sandbox's first invocation. */
  initMs: number[];
  /** Why the run cannot stand for the asked rate, when it cannot. */
  refusal?: string;
}

export interface LoadOptions {
  baseUrl: string;
  rate: number;
  durationS: number;
  headers?: Record<string, string>;
  next: () => PlannedRequest;
  /** Called about once a second with requests done so far. */
  onProgress?: (done: number, scheduled: number) => void;
  maxSockets?: number;
}

/** Parses `app;dur=1.2, init;dur=180` into { app: 1.2, init: 180 }. */
export function parseServerTiming(header: string | string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((param) => /^\s*dur=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
    if (name && dur !== undefined) out[name] = Number(dur);
  }
  return out;
}

const newSample = (): OperationSample => ({ latency: newHistogram(), app: newHistogram(), statuses: {}, appSumMs: 0, billedSumMs: 0, requestBytes: 0, responseBytes: 0 });

/**
 * Sends requests at a fixed arrival rate for a while, whatever the target does (open loop): a
 * slow answer never delays the next send, so latency is not understated when the target slows.
 * Each latency runs from the request's scheduled time, not from when a socket was free.
 */
export async function runOpenLoop(options: LoadOptions): Promise<LoadResult> {
  const { baseUrl, rate, durationS, headers = {}, next, onProgress, maxSockets = 512 } = options;
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets }) : new Agent({ keepAlive: true, maxSockets });
  const send = secure ? httpsRequest : request;
  const prefix = url.pathname.replace(/\/$/, '');
  const scheduled = Math.max(1, Math.round(rate * durationS));
  const operations: Record<string, OperationSample> = {};
  const initMs: number[] = [];
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let late = 0;
  const lag = newHistogram();

  const fire = (planned: PlannedRequest, intendedAt: number) => {
    const sample = (operations[planned.operation] ??= newSample());
    const body = planned.body === undefined ? undefined : Buffer.from(planned.body);
    const requestHeaders: Record<string, string> = { ...headers, ...planned.headers, ...(body && { 'content-length': String(body.length) }) };
    sample.requestBytes += body?.length ?? 0;
    const finish = (status: string) => {
      sample.statuses[status] = (sample.statuses[status] ?? 0) + 1;
      completed++;
    };
    const req = send(
      { hostname: url.hostname, port: url.port, path: `${prefix}${planned.path}`, method: planned.method, headers: requestHeaders, agent, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', () => {
          errors++;
          finish('error');
        });
        res.on('end', () => {
          const doneAt = performance.now();
          const status = res.statusCode ?? 0;
          sample.latency.recordValue(Math.max(1, Math.round((doneAt - intendedAt) * 1000)));
          const timing = parseServerTiming(res.headers['server-timing']);
          if (timing.app !== undefined) {
            sample.app.recordValue(Math.max(1, Math.round(timing.app * 1000)));
            sample.appSumMs += timing.app;
            sample.billedSumMs += Math.max(1, Math.ceil(timing.app));
          }
          if (timing.init !== undefined) initMs.push(timing.init);
          const text = Buffer.concat(chunks);
          sample.responseBytes += text.length;
          if (status >= 500) errors++;
          finish(String(status));
          planned.learn?.(status, text.toString('utf8'), res.headers);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => {
      errors++;
      finish('error');
    });
    req.end(body);
  };

  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now() + 5;
  const interval = 1000 / rate;
  let lastProgress = startedAt;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < scheduled && startedAt + sent * interval <= now) {
        const intendedAt = startedAt + sent * interval;
        if (now - intendedAt > LATE_MS) late++;
        lag.recordValue(Math.max(1, Math.round((now - intendedAt) * 1000)));
        sent++;
        fire(next(), intendedAt);
      }
      if (onProgress && now - lastProgress >= 1000) {
        lastProgress = now;
        onProgress(completed, scheduled);
      }
      if (sent >= scheduled) return resolve();
      setTimeout(tick, Math.max(0, startedAt + sent * interval - performance.now()));
    };
    setTimeout(tick, 5);
  });
  const sendingS = (performance.now() - startedAt) / 1000;
  // Drain: every request gets its answer or its timeout.
  while (completed < scheduled) await new Promise((resolve) => setTimeout(resolve, 20));
  const cpu = process.cpuUsage(cpuBefore);
  const wallS = (performance.now() - startedAt) / 1000;
  agent.destroy();

  const result: LoadResult = {
    rate,
    durationS,
    scheduled,
    completed,
    errors,
    late,
    sendLagMs: percentilesMs(lag, [50, 99]),
    achievedRate: Math.round((sent / Math.max(sendingS, durationS)) * 10) / 10,
    generatorCpu: Math.round(((cpu.user + cpu.system) / 1e6 / wallS) * 1000) / 1000,
    operations,
    initMs,
  };
  const refusal = refusalOf(result);
  return refusal ? { ...result, refusal } : result;
}

/** A run stands for the asked rate only if the generator kept its schedule and the target answered. */
export function refusalOf(result: Pick<LoadResult, 'scheduled' | 'late' | 'errors' | 'achievedRate' | 'rate'>): string | undefined {
  if (result.late > result.scheduled * 0.05) {
    return `the generator sent ${result.late} of ${result.scheduled} requests more than ${LATE_MS} ms late: it could not hold ${result.rate} requests/s on this machine`;
  }
  if (result.achievedRate < result.rate * 0.95) return `the generator reached ${result.achievedRate} of ${result.rate} requests/s`;
  if (result.errors > result.scheduled * 0.05) return `${result.errors} of ${result.scheduled} requests failed (5xx, reset or timed out)`;
  return undefined;
}

/** Percentiles of a histogram in milliseconds. */
export function percentilesMs(histogram: Histogram, points = [50, 90, 99, 99.9]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const point of points) out[`p${point}`] = histogram.totalCount ? Math.round(histogram.getValueAtPercentile(point)) / 1000 : 0;
  out.max = histogram.totalCount ? Math.round(histogram.maxValue) / 1000 : 0;
  out.mean = histogram.totalCount ? Math.round(histogram.mean) / 1000 : 0;
  return out;
}
