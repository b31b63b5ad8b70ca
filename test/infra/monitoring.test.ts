import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../container/prometheus.js';

/** Metric names a PromQL expression reads: identifiers followed by a selector, range or grouping. */
function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""');
  const functions = new Set(['sum', 'rate', 'increase', 'histogram_quantile', 'max', 'min', 'avg', 'by', 'without', 'count', 'irate']);
  return [...withoutStrings.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[)/g)].map((match) => match[1]!).filter((name) => !functions.has(name));
}

function dashboardExpressions(): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'expr' && typeof value === 'string') found.push(value);
        else walk(value);
      }
    }
  };
  walk(JSON.parse(readFileSync('k8s/monitoring/dashboard.json', 'utf8')));
  return found;
}

function alertExpressions(): string[] {
  const rules = parse(readFileSync('k8s/monitoring/alerts.yaml', 'utf8')) as { groups: { rules: { expr: string }[] }[] };
  return rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
}

async function exportedNames(): Promise<Set<string>> {
  const { metrics, exposition } = createPrometheusMetrics();
  metrics.requestStarted()({ method: 'GET', route: '/healthz', status: 200 }, 0.001);
  metrics.dependencyCalled({ dependency: 'dynamodb', operation: 'GetItem', outcome: 'ok' }, 0.001);
  metrics.taskChanged('created');
  const { body } = await exposition();
  return new Set(body.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(/[{ ]/)[0]!));
}

/** kube-state-metrics owns these; the app cannot export them. */
const EXTERNAL = /^kube_/;

describe('monitoring queries', () => {
  it.each([
    ['the dashboard', dashboardExpressions],
    ['the alert rules', alertExpressions],
  ])('in %s use only metrics the app exports', async (_, expressions) => {
    const exported = await exportedNames();
    const queried = expressions().flatMap(metricNames);
    expect(queried.length).toBeGreaterThan(2);
    expect(queried.filter((name) => !EXTERNAL.test(name) && !exported.has(name))).toEqual([]);
  });

  it('recognises a metric the app does not export', () => {
    expect(metricNames('sum(rate(duet_tasks{status="done"}[5m]))')).toEqual(['duet_tasks']);
  });
});
