/**
 * What the service measures, whatever the runtime publishes it with (Prometheus in the container,
 * CloudWatch embedded metrics on Lambda). Names and labels are the same on both targets.
 */
export interface Metrics {
  /** A request entered the service; the returned function records its outcome and how long it took (the access log's duration). */
  requestStarted(): (labels: { method: string; route: string; status: number }, seconds: number) => void;
  /** One call to DynamoDB or S3, timed by the SDK client's middleware. */
  dependencyCalled(labels: { dependency: 'dynamodb' | 's3'; operation: string; outcome: 'ok' | 'error' }, seconds: number): void;
  taskChanged(change: 'created' | 'updated' | 'deleted'): void;
}

export const METRIC_NAMES = {
  requests: 'http_requests_total',
  requestDuration: 'http_request_duration_seconds',
  inFlight: 'http_requests_in_flight',
  dependencyRequests: 'duet_dependency_requests_total',
  dependencyDuration: 'duet_dependency_request_duration_seconds',
  tasksChanged: 'duet_tasks_changed_total',
} as const;

export const noMetrics: Metrics = {
  requestStarted: () => () => {},
  dependencyCalled: () => {},
  taskChanged: () => {},
};
