// Synthetic traffic for the release gate: what a canary and the stable version answer each
// minute, turned into Prometheus series (promtool) and CloudWatch datapoints (the Lambda alarms).
// The verdict each scenario should get is computed from release/gate.yaml, not written down.
import type { Gate } from '../../release/gate.js';

export interface Traffic {
  /** Requests answered per minute. */
  perMinute: number;
  /** Of those, answered 500. */
  errorsPerMinute: number;
  /** How long each request took. */
  seconds: number;
}

export interface Scenario {
  name: string;
  canary: Traffic;
  stable: Traffic;
  /** Container restarts per minute of a canary pod (kube-state-metrics). */
  restartsPerMinute: number;
  /** The gate rules it should fail, from the spec (checked against gateVerdict). */
  failing: GateRule[];
  /** The service's own alert rules (k8s/monitoring/alerts.yaml) that fire after 15 minutes of it. */
  alerts: string[];
}

export type GateRule = 'error-rate' | 'p99-latency';
export const MINUTES = 20;
export const CANARY_HASH = 'c4n4ry';
export const STABLE_HASH = 'st4bl3';

const fast = 0.02;
const slow = 0.4;
export const SCENARIOS: Scenario[] = [
  { name: 'a healthy canary', canary: { perMinute: 60, errorsPerMinute: 0, seconds: fast }, stable: { perMinute: 540, errorsPerMinute: 0, seconds: fast }, restartsPerMinute: 0, failing: [], alerts: [] },
  {
    name: 'an error spike',
    canary: { perMinute: 60, errorsPerMinute: 18, seconds: fast },
    stable: { perMinute: 540, errorsPerMinute: 0, seconds: fast },
    restartsPerMinute: 1,
    failing: ['error-rate'],
    alerts: ['DuetHighErrorRate', 'DuetPodRestarting'],
  },
  { name: 'a latency spike', canary: { perMinute: 60, errorsPerMinute: 0, seconds: slow }, stable: { perMinute: 540, errorsPerMinute: 0, seconds: fast }, restartsPerMinute: 0, failing: ['p99-latency'], alerts: ['DuetHighLatencyP99'] },
  // Every canary request fails, but 50 in the window are too few for a verdict (gate.minRequests).
  { name: 'too little traffic', canary: { perMinute: 10, errorsPerMinute: 10, seconds: fast }, stable: { perMinute: 540, errorsPerMinute: 0, seconds: fast }, restartsPerMinute: 0, failing: [], alerts: [] },
  // Errors on the stable version are not the canary's: the gate passes, the service alert fires.
  { name: 'a failing stable version', canary: { perMinute: 60, errorsPerMinute: 0, seconds: fast }, stable: { perMinute: 540, errorsPerMinute: 60, seconds: fast }, restartsPerMinute: 0, failing: [], alerts: ['DuetHighErrorRate'] },
];

/** The gate's rules applied to a canary's steady traffic by the spec's own words. */
export function gateVerdict(gate: Gate, canary: Traffic): GateRule[] {
  const requests = canary.perMinute * gate.windowMinutes;
  if (requests < gate.minRequests) return [];
  const failing: GateRule[] = [];
  if (canary.errorsPerMinute / canary.perMinute > gate.maxErrorRate) failing.push('error-rate');
  if (canary.seconds > gate.maxP99Seconds) failing.push('p99-latency');
  return failing;
}

/** promtool input series: the app's request counter and latency histogram per version and status, and restarts. */
export function prometheusSeries(scenario: Scenario, bucketBounds: string[]): { series: string; values: string }[] {
  const series: { series: string; values: string }[] = [];
  const ramp = (perMinute: number) => `0+${perMinute}x${MINUTES}`;
  for (const [hash, traffic] of [[CANARY_HASH, scenario.canary], [STABLE_HASH, scenario.stable]] as const) {
    for (const [status, count] of [['200', traffic.perMinute - traffic.errorsPerMinute], ['500', traffic.errorsPerMinute]] as const) {
      if (count === 0) continue;
      const labels = `job="duet", namespace="duet", pod="duet-${hash}-x1", rollouts_pod_template_hash="${hash}", method="GET", route="/v1/tasks", status="${status}"`;
      series.push({ series: `http_requests_total{${labels}}`, values: ramp(count) });
      for (const le of bucketBounds) series.push({ series: `http_request_duration_seconds_bucket{${labels}, le="${le}"}`, values: ramp(le === '+Inf' || traffic.seconds <= Number(le) ? count : 0) });
    }
  }
  series.push({ series: `kube_pod_container_status_restarts_total{job="kube-state-metrics", namespace="duet", pod="duet-${CANARY_HASH}-x1", container="duet"}`, values: ramp(scenario.restartsPerMinute) });
  return series;
}

/** One-minute CloudWatch datapoints of the EMF metrics the new function version writes (sum of requests, p99 of latency). */
export interface Datapoints {
  requests: number[];
  requestsByClass: Record<string, number[]>;
  latencyP99: number[];
}
export function cloudWatchDatapoints(traffic: Traffic): Datapoints {
  const minutes = Array.from({ length: MINUTES });
  return {
    requests: minutes.map(() => traffic.perMinute),
    requestsByClass: {
      '2xx': minutes.map(() => traffic.perMinute - traffic.errorsPerMinute),
      '5xx': traffic.errorsPerMinute ? minutes.map(() => traffic.errorsPerMinute) : [],
    },
    latencyP99: minutes.map(() => traffic.seconds),
  };
}
