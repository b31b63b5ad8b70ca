import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createPrometheusMetrics } from '../../container/prometheus.js';
import { loadGate } from '../../release/gate.js';
import { only, render, type K8sObject } from './manifests.js';
import { CANARY_HASH, gateVerdict, prometheusSeries, SCENARIOS, type GateRule } from './release-scenarios.js';

/*
 * Prometheus's own promtool evaluates the gate's queries, exactly as the chart renders them into
 * the AnalysisTemplate, and every alert rule in k8s/monitoring/alerts.yaml, over synthetic series
 * of a canary and a stable version. A gate query fails its step when Argo's successCondition
 * (`result[0] <= max`) is false, so each becomes an alert on `query > max` here.
 */
const run = promisify(execFile);
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const ALERTS = resolve('k8s/monitoring/alerts.yaml');
const gate = loadGate();
let dir: string;
let metrics: K8sObject['spec'][];
let bucketBounds: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duet-promtool-'));
  metrics = only(await render('prod', ['rollout.enabled=true', 'monitoring.serviceMonitor.enabled=true']), 'AnalysisTemplate').spec.metrics;
  const { metrics: app, exposition } = createPrometheusMetrics();
  app.requestStarted()({ method: 'GET', route: '/v1/tasks', status: 200 }, 0.01);
  bucketBounds = [...(await exposition()).body.matchAll(/^http_request_duration_seconds_bucket\{le="([^"]+)"/gm)].map((match) => match[1]!);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The AnalysisTemplate's metrics as alert rules that fire when a measurement would fail. */
function gateRules(): { alert: string; expr: string; labels: { rule: string } }[] {
  return metrics.map((metric) => {
    const max = /^result\[0\] <= ([0-9.]+)$/.exec(metric.successCondition)?.[1];
    if (!max) throw new Error(`unexpected successCondition ${metric.successCondition}`);
    return { alert: 'ReleaseGateFails', expr: `(${metric.provider.prometheus.query.replaceAll('{{args.canary-hash}}', CANARY_HASH)}) > ${max}`, labels: { rule: metric.name } };
  });
}

async function promtool(file: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, ['test', 'rules', file]);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('promtool is missing: apt-get install prometheus (.ci/run does)');
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

/** A promtool test file: the scenario's series, and which alerts fire after 15 minutes of it. */
function testFile(rules: string, series: { series: string; values: string }[], firing: { alertname: string; rule?: GateRule }[]): string {
  const labels = ({ alertname, rule }: { alertname: string; rule?: string }) => `{alertname="${alertname}"${rule ? `, rule="${rule}"` : ''}}`;
  return stringify({
    rule_files: [rules, ALERTS],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: series,
        promql_expr_test: [
          {
            expr: 'count by (alertname, rule) (ALERTS{alertstate="firing"})',
            eval_time: '15m',
            exp_samples: firing.map((alert) => ({ labels: labels(alert), value: 1 })),
          },
        ],
      },
    ],
  });
}

describe('the release gate and the alert rules under promtool test rules', () => {
  let rules: string;
  beforeAll(() => {
    rules = join(dir, 'gate.rules.yaml');
    writeFileSync(rules, stringify({ groups: [{ name: 'release-gate', rules: gateRules() }] }));
  });

  it('renders one query per rule of the spec', () => {
    expect(gateRules().map((rule) => rule.labels.rule).sort()).toEqual(['error-rate', 'p99-latency']);
  });

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s gets the verdict the spec gives it', async (name, scenario) => {
    expect(scenario.failing, 'the scenario against release/gate.yaml').toEqual(gateVerdict(gate, scenario.canary));
    const firing = [...scenario.failing.map((rule) => ({ alertname: 'ReleaseGateFails', rule })), ...scenario.alerts.map((alertname) => ({ alertname }))];
    const file = join(dir, `${name.replaceAll(' ', '-')}.test.yaml`);
    writeFileSync(file, testFile(rules, prometheusSeries(scenario, bucketBounds), firing));
    const { ok, output } = await promtool(file);
    expect(output).toContain('SUCCESS');
    expect(ok, output).toBe(true);
  });

  it('fails when the verdict is not the one promtool computes (the check can fail)', async () => {
    const [healthy] = SCENARIOS;
    const file = join(dir, 'wrong.test.yaml');
    writeFileSync(file, testFile(rules, prometheusSeries(healthy!, bucketBounds), [{ alertname: 'ReleaseGateFails', rule: 'error-rate' }]));
    const { ok, output } = await promtool(file);
    expect(ok).toBe(false);
    expect(output).toContain('FAILED');
  });
});
