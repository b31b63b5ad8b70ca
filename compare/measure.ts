import { randomUUID } from 'node:crypto';
import { lambdaPlatformLines } from './lambda/pool.js';
import { newHistogram, percentilesMs, type Histogram, type LoadResult } from './load.js';
import type { TargetMeasure } from './model.js';
import type { Counters, Target } from './targets.js';

/** Deployed, Lambda's own lines cannot be read from here: their size for a warm invocation stands in. */
const DEPLOYED_PLATFORM_BYTES = Buffer.byteLength(lambdaPlatformLines(randomUUID(), 12.34, 256, 90));

/** Percentiles drawn in the latency chart. */
export const CURVE_POINTS = [50, 75, 90, 95, 99, 99.9, 100];

export interface OperationResult {
  count: number;
  share: number;
  statuses: Record<string, number>;
  latencyMs: Record<string, number>;
  appMs: Record<string, number>;
  appMeanMs: number;
  billedMeanMs: number;
  /** [percentile, ms] points of the latency distribution. */
  curve: [number, number][];
}

export interface TargetResult {
  name: string;
  kind: Target['kind'];
  url: string;
  local: boolean;
  refusal?: string;
  load: Omit<LoadResult, 'operations' | 'initMs' | 'refusal'>;
  operations: Record<string, OperationResult>;
  overall: { latencyMs: Record<string, number>; appMeanMs: number; billedMeanMs: number };
  coldStarts?: {
    count: number;
    share: number;
    /** init;dur the functions reported (their own clock, from the bundle's first module). */
    functionInitMs: Record<string, number>;
    /** Spawn to ready, measured by the local sandbox runner: Lambda's Init Duration. */
    sandboxInitMs?: Record<string, number>;
    peakSandboxes?: Record<string, number>;
    queued?: number;
  };
  logs: { appBytesPerRequest: number; platformBytesPerRequest: number; linesPerRequest: number; measured: boolean };
  cpuSecondsPerRequest?: number;
  lambda?: Target['lambda'];
  measure: TargetMeasure;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const summary = (values: number[]) => {
  if (!values.length) return { count: 0, mean: 0, p50: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { count: values.length, mean: round(values.reduce((a, b) => a + b, 0) / values.length), p50: round(sorted[Math.floor(sorted.length / 2)]!), max: round(sorted.at(-1)!) };
};
const curveOf = (histogram: Histogram): [number, number][] =>
  histogram.totalCount ? CURVE_POINTS.map((point) => [point, Math.round(point === 100 ? histogram.maxValue : histogram.getValueAtPercentile(point)) / 1000]) : [];

/** Turns one target's load run and its counters before and after into the report's numbers. */
export function summarise(target: Target, load: LoadResult, before: Counters, after: Counters): TargetResult {
  const { operations: samples, initMs, refusal, ...loadFields } = load;
  const total = Object.values(samples).reduce((sum, sample) => sum + sample.latency.totalCount, 0) || 1;
  const operations: Record<string, OperationResult> = {};
  let appSum = 0;
  let billedSum = 0;
  let timed = 0;
  let requestBytes = 0;
  let responseBytes = 0;
  for (const [name, sample] of Object.entries(samples)) {
    const count = sample.latency.totalCount;
    operations[name] = {
      count,
      share: round(count / total, 4),
      statuses: sample.statuses,
      latencyMs: percentilesMs(sample.latency),
      appMs: percentilesMs(sample.app),
      appMeanMs: round(sample.app.totalCount ? sample.appSumMs / sample.app.totalCount : 0),
      billedMeanMs: round(sample.app.totalCount ? sample.billedSumMs / sample.app.totalCount : 0),
      curve: curveOf(sample.latency),
    };
    appSum += sample.appSumMs;
    billedSum += sample.billedSumMs;
    timed += sample.app.totalCount;
    requestBytes += sample.requestBytes;
    responseBytes += sample.responseBytes;
  }
  const merged = newHistogram();
  for (const sample of Object.values(samples)) merged.add(sample.latency);
  const requests = load.completed || 1;
  const delta = (key: 'logBytes' | 'logLines' | 'platformLogBytes' | 'cpuSeconds') => (after[key] ?? 0) - (before[key] ?? 0);
  const lambda = target.kind !== 'container';
  const functions = after.functions ?? {};
  const coldCount = initMs.length;
  const sandboxInits = Object.entries(functions).flatMap(([name, fn]) => fn.initMs.slice(before.functions?.[name]?.initMs.length ?? 0));
  const invocations = Object.entries(functions).map(([name, fn]) => [name, fn.invocations - (before.functions?.[name]?.invocations ?? 0)] as const);
  const invoked = invocations.reduce((sum, [, count]) => sum + count, 0);
  const memoryMb = target.lambda && invoked ? invocations.reduce((sum, [name, count]) => sum + (target.lambda!.memoryMb[name] ?? 0) * count, 0) / invoked : (Object.values(target.lambda?.memoryMb ?? {})[0] ?? 256);
  const sandboxSummary = summary(sandboxInits);
  const functionSummary = summary(initMs);
  const logsMeasured = target.local;
  const appLogBytesPerRequest = round(delta('logBytes') / requests, 1);
  const platformBytesPerRequest = round(delta('platformLogBytes') / requests, 1);
  const cpuSecondsPerRequest = target.kind === 'container' && target.local ? delta('cpuSeconds') / requests : undefined;
  const appMeanMs = round(timed ? appSum / timed : 0);
  const billedMeanMs = round(timed ? billedSum / timed : 0);
  return {
    name: target.name,
    kind: target.kind,
    url: target.url,
    local: target.local,
    ...(refusal && { refusal }),
    load: loadFields,
    operations,
    overall: { latencyMs: percentilesMs(merged), appMeanMs, billedMeanMs },
    ...(lambda && {
      coldStarts: {
        count: coldCount,
        share: round(coldCount / requests, 5),
        functionInitMs: functionSummary,
        ...(sandboxInits.length && { sandboxInitMs: sandboxSummary }),
        ...(target.local && { peakSandboxes: Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, fn.peakSandboxes])) }),
        ...(target.local && { queued: Object.entries(functions).reduce((sum, [name, fn]) => sum + fn.queued - (before.functions?.[name]?.queued ?? 0), 0) }),
      },
    }),
    logs: { appBytesPerRequest: appLogBytesPerRequest, platformBytesPerRequest, linesPerRequest: round(delta('logLines') / requests, 2), measured: logsMeasured },
    ...(cpuSecondsPerRequest !== undefined && { cpuSecondsPerRequest: round(cpuSecondsPerRequest, 6) }),
    ...(target.lambda && { lambda: target.lambda }),
    measure: {
      name: target.name,
      kind: target.kind,
      appMsMean: appMeanMs,
      billedMsMean: billedMeanMs,
      coldStartShare: coldCount / requests,
      // Locally the runner saw the whole INIT (Node's start included); deployed, only the function's own clock.
      initMsMean: sandboxInits.length ? sandboxSummary.mean : functionSummary.mean,
      memoryMb: Math.round(memoryMb),
      architecture: target.lambda?.architecture === 'x86_64' ? 'x86_64' : 'arm64',
      ...(cpuSecondsPerRequest !== undefined && { cpuSecondsPerRequest }),
      appLogBytesPerRequest,
      platformLogBytesPerRequest: lambda ? (target.local ? platformBytesPerRequest : DEPLOYED_PLATFORM_BYTES) : 0,
      requestBytesMean: requestBytes / requests,
      responseBytesMean: responseBytes / requests,
    },
  };
}
