import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRIC_NAMES, type Metrics } from '../core/ports/metrics.js';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The container's metrics: prom-client on its own registry, with Node's process metrics; scraped at GET /metrics. */
export function createPrometheusMetrics(): { metrics: Metrics; exposition(): Promise<{ contentType: string; body: string }> } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: METRIC_NAMES.requests, help: 'Requests answered, by route template and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: METRIC_NAMES.requestDuration,
    help: 'Time to answer a request',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({ name: METRIC_NAMES.inFlight, help: 'Requests being answered', registers: [registry] });
  const dependencyRequests = new Counter({
    name: METRIC_NAMES.dependencyRequests,
    help: 'Calls to DynamoDB and S3 (each SDK call, retries included)',
    labelNames: ['dependency', 'operation', 'outcome'],
    registers: [registry],
  });
  const dependencyDuration = new Histogram({
    name: METRIC_NAMES.dependencyDuration,
    help: 'Time of a call to DynamoDB or S3',
    labelNames: ['dependency', 'operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const tasksChanged = new Counter({ name: METRIC_NAMES.tasksChanged, help: 'Tasks created, updated and deleted', labelNames: ['change'], registers: [registry] });

  return {
    metrics: {
      requestStarted() {
        inFlight.inc();
        return ({ method, route, status }, seconds) => {
          inFlight.dec();
          const labels = { method, route, status: String(status) };
          requests.inc(labels);
          duration.observe(labels, seconds);
        };
      },
      dependencyCalled(labels, seconds) {
        dependencyRequests.inc(labels);
        dependencyDuration.observe(labels, seconds);
      },
      taskChanged(change) {
        tasksChanged.inc({ change });
      },
    },
    exposition: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
