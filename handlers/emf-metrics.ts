import { METRIC_NAMES, type Metrics } from '../core/ports/metrics.js';

export const NAMESPACE = 'duet';

type Unit = 'Count' | 'Seconds';
interface Entry {
  dimensions: Record<string, string>;
  values: Record<string, { value: number; unit: Unit }>;
  /** Dimension sets to publish under (EMF rolls the values up into each); default all the dimensions. */
  sets?: string[][];
}

/**
 * The function and version that answered (the Lambda runtime sets both), for the release gate:
 * requests are also published per function version (count and latency) and per version and
 * status class (count), so the CloudWatch alarms CodeDeploy watches judge the new version alone
 * (release/lambda-gate.ts).
 */
export interface Release {
  function: string;
  functionVersion: string;
}
export const RELEASE_SETS = [
  ['function', 'functionVersion'],
  ['function', 'functionVersion', 'statusClass'],
] as const;

export function releaseOf(env: Record<string, string | undefined>): Release | undefined {
  const { AWS_LAMBDA_FUNCTION_NAME: name, AWS_LAMBDA_FUNCTION_VERSION: version } = env;
  return name && version ? { function: name, functionVersion: version } : undefined;
}

/**
 * Merges what one request measured into as few EMF documents as the format allows: entries with
 * the same dimension values share a directive (repeated metrics become value arrays), and
 * directives share a document unless a dimension would need two values. A request that calls
 * DynamoDB once writes one document instead of three (`npm run compare` prices the log bytes).
 */
export function mergeEntries(entries: Entry[], timestamp: number): Record<string, unknown>[] {
  const groups = new Map<string, { dimensions: Record<string, string>; sets?: string[][]; units: Record<string, Unit>; values: Record<string, number[]> }>();
  for (const { dimensions, values, sets } of entries) {
    const key = JSON.stringify([dimensions, Object.keys(values), sets]);
    const group = groups.get(key) ?? { dimensions, sets, units: {}, values: {} };
    for (const [name, { value, unit }] of Object.entries(values)) {
      group.units[name] = unit;
      (group.values[name] ??= []).push(value);
    }
    groups.set(key, group);
  }
  const documents: { fields: Record<string, unknown>; directives: unknown[] }[] = [];
  for (const group of groups.values()) {
    const fits = (fields: Record<string, unknown>) =>
      Object.entries(group.dimensions).every(([name, value]) => fields[name] === undefined || fields[name] === value) && Object.keys(group.values).every((name) => !(name in fields));
    let document = documents.find((candidate) => fits(candidate.fields));
    if (!document) documents.push((document = { fields: {}, directives: [] }));
    Object.assign(document.fields, group.dimensions);
    for (const [name, values] of Object.entries(group.values)) document.fields[name] = values.length === 1 ? values[0] : values;
    document.directives.push({ Namespace: NAMESPACE, Dimensions: group.sets ?? [Object.keys(group.dimensions)], Metrics: Object.entries(group.units).map(([name, unit]) => ({ Name: name, Unit: unit })) });
  }
  return documents.map(({ fields, directives }) => ({ _aws: { Timestamp: timestamp, CloudWatchMetrics: directives }, ...fields }));
}

/**
 * CloudWatch Embedded Metric Format lines on stdout: the same names and dimensions as the
 * container's Prometheus metrics, extracted by CloudWatch from the function's logs. Written by
 * hand (the format is one JSON object) because the EMF libraries probe their environment. What a
 * request measures is held until it finishes and written merged (a sandbox serves one request
 * at a time); anything measured outside a request is written at once.
 */
export function createEmfMetrics(write: (line: string) => void = (line) => process.stdout.write(line), release?: Release): Metrics {
  let open = 0;
  let pending: Entry[] = [];
  const flush = () => {
    const documents = mergeEntries(pending, Date.now());
    pending = [];
    if (documents.length) write(documents.map((document) => `${JSON.stringify(document)}\n`).join(''));
  };
  const emit = (dimensions: Record<string, string>, values: Entry['values']) => {
    pending.push({ dimensions, values });
    if (!open) flush();
  };
  return {
    requestStarted() {
      open++;
      return ({ method, route, status }, seconds) => {
        const request = { method, route, status: String(status) };
        pending.push({
          ...(release
            ? { dimensions: { ...request, ...release, statusClass: `${request.status[0]}xx` }, sets: [Object.keys(request), ...RELEASE_SETS.map((set) => [...set])] }
            : { dimensions: request }),
          values: {
            [METRIC_NAMES.requests]: { value: 1, unit: 'Count' },
            [METRIC_NAMES.requestDuration]: { value: seconds, unit: 'Seconds' },
          },
        });
        open = Math.max(0, open - 1);
        if (!open) flush();
      };
    },
    dependencyCalled(labels, seconds) {
      emit(labels, {
        [METRIC_NAMES.dependencyRequests]: { value: 1, unit: 'Count' },
        [METRIC_NAMES.dependencyDuration]: { value: seconds, unit: 'Seconds' },
      });
    },
    taskChanged(change) {
      emit({ change }, { [METRIC_NAMES.tasksChanged]: { value: 1, unit: 'Count' } });
    },
  };
}
