// The probes Kubernetes will send, taken from the rendered chart, against the app itself: every
// path and method the chart names must be one the app serves (ORIGINS.md: probes on paths the
// app lacked, or GET against POST-only routes, restarted pods forever).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runContainer } from '../../container/main.js';
import type { RunningServer } from '../../container/server.js';
import { ENVIRONMENTS } from '../../scripts/helm.js';
import { EVERYTHING_ON, only, render, type K8sObject } from './manifests.js';

interface HttpCheck {
  source: string;
  method: string;
  path: string;
  port: string | number;
}

/** Every HTTP check the cluster makes against the pod: kubelet probes and the ALB health check. */
function httpChecks(objects: K8sObject[]): HttpCheck[] {
  const checks: HttpCheck[] = [];
  for (const container of only(objects, 'Deployment').spec.template.spec.containers) {
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const action = container[probe];
      if (!action) continue;
      expect(action.exec ?? action.tcpSocket ?? action.grpc, `${probe} must be an HTTP probe`).toBeUndefined();
      // Kubelet's httpGet probes always send GET.
      checks.push({ source: `${container.name}.${probe}`, method: 'GET', path: action.httpGet.path, port: action.httpGet.port });
    }
  }
  const ingress = objects.find((object) => object.kind === 'Ingress');
  const albPath = ingress?.metadata.annotations?.['alb.ingress.kubernetes.io/healthcheck-path'];
  if (albPath) checks.push({ source: 'alb.healthcheck', method: 'GET', path: albPath, port: 'http' });
  return checks;
}

let running: RunningServer & { metricsUrl: string };
beforeAll(async () => {
  running = await runContainer({ ...inject('authEnv'), STORE: 'memory', HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' });
});
afterAll(async () => {
  await running?.shutdown();
});

describe.each(ENVIRONMENTS)('probes rendered for %s', (environment) => {
  let objects: K8sObject[];
  beforeAll(async () => {
    objects = await render(environment, EVERYTHING_ON);
  }, 60_000);

  it('are all HTTP, on the container port named http, and include readiness and liveness', () => {
    const checks = httpChecks(objects);
    expect(checks.map((check) => check.source)).toEqual(expect.arrayContaining(['duet.readinessProbe', 'duet.livenessProbe', 'duet.startupProbe']));
    const ports = only(objects, 'Deployment').spec.template.spec.containers[0].ports.map((port: { name: string }) => port.name);
    for (const check of checks) expect(ports, check.source).toContain(check.port);
  });

  it('hit routes the app serves with 200', async () => {
    for (const check of httpChecks(objects)) {
      const response = await fetch(`${running.url}${check.path}`, { method: check.method });
      expect(response.status, `${check.source}: ${check.method} ${check.path}`).toBe(200);
    }
  });

  it('scrape a path the app serves on its metrics port, and the public port does not', async () => {
    const service = only(objects, 'Service');
    const [endpoint, ...others] = only(objects, 'ServiceMonitor').spec.endpoints;
    expect(others).toEqual([]);
    expect(service.spec.ports.find((port: { name: string }) => port.name === endpoint.port).targetPort).toBe('metrics');
    expect((await fetch(`${running.metricsUrl}${endpoint.path}`)).status).toBe(200);
    expect((await fetch(`${running.url}${endpoint.path}`)).status).toBe(404);
  });
});
