import { METRIC_NAMES, type Metrics } from '../core/ports/metrics.js';

const NAMESPACE = 'duet';

/**
 * CloudWatch Embedded Metric Format lines on stdout: the same names and dimensions as the
 * container's Prometheus metrics, extracted by CloudWatch from the function's logs. Written by
 * hand (the format is one JSON object) because the EMF libraries probe their environment.
 */
export function createEmfMetrics(write: (line: string) => void = (line) => process.stdout.write(line)): Metrics {
  const emit = (dimensions: Record<string, string>, values: Record<string, { value: number; unit: 'Count' | 'Seconds' }>) => {
    const line = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: NAMESPACE,
            Dimensions: [Object.keys(dimensions)],
            Metrics: Object.entries(values).map(([name, { unit }]) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      ...dimensions,
      ...Object.fromEntries(Object.entries(values).map(([name, { value }]) => [name, value])),
    };
    write(`${JSON.stringify(line)}\n`);
  };
  return {
    requestStarted() {
      return ({ method, route, status }, seconds) =>
        emit(
          { method, route, status: String(status) },
          {
            [METRIC_NAMES.requests]: { value: 1, unit: 'Count' },
            [METRIC_NAMES.requestDuration]: { value: seconds, unit: 'Seconds' },
          },
        );
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
