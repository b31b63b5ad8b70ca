import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLUSTER_ADDONS } from '../../cdktf/cluster-addons.js';
import { createPrometheusMetrics } from '../../container/prometheus.js';
import { loadGate, parseGate } from '../../release/gate.js';
import { join } from 'node:path';
import { CHART_DIR, ENVIRONMENTS, helm } from '../../scripts/helm.js';
import { createArgoValidator } from './argo-rollouts-schema.js';
import { createKubernetesValidator, type KubernetesValidator } from './kubernetes-schema.js';
import { EVERYTHING_ON, only, render, type K8sObject } from './manifests.js';

const ROLLOUT_ON = [...EVERYTHING_ON, 'rollout.enabled=true'];
const gate = loadGate();
const argo = createArgoValidator();
let kubernetes: KubernetesValidator;
beforeAll(async () => {
  kubernetes = await createKubernetesValidator();
});

/** Argo CD's ignoreDifferences, by jsonPointer: what is left of an object once the ignored fields are removed. */
type Ignore = { group: string; kind: string; name?: string; jsonPointers: string[] };
function normalized(object: K8sObject, ignores: Ignore[]): K8sObject {
  const copy = structuredClone(object);
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  for (const ignore of ignores.filter((candidate) => candidate.group === group && candidate.kind === object.kind && (!candidate.name || candidate.name === object.metadata.name))) {
    for (const pointer of ignore.jsonPointers) {
      const keys = pointer.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
      const parent = keys.slice(0, -1).reduce<any>((node, key) => node?.[key], copy);
      if (parent) delete parent[keys.at(-1)!];
    }
  }
  return copy;
}

/** What the cluster holds mid-release or after an abort, beyond the manifests: the Rollouts controller's and the HPA's writes. */
function liveDuringRelease(objects: K8sObject[]): K8sObject[] {
  const rollout = only(objects, 'Rollout');
  const { stableService, canaryService, trafficRouting } = rollout.spec.strategy.canary;
  const root = trafficRouting.alb.rootService ?? stableService;
  return objects.map((desired) => {
    const live = structuredClone(desired);
    if (live.kind === 'Rollout') live.spec.replicas = 7;
    if (live.kind === 'Ingress' && live.metadata.name === trafficRouting.alb.ingress) {
      live.metadata.annotations![`alb.ingress.kubernetes.io/actions.${root}`] = JSON.stringify({ type: 'forward', forwardConfig: { targetGroups: [{ serviceName: stableService, weight: 100 }, { serviceName: canaryService, weight: 0 }] } });
    }
    if (live.kind === 'Service' && [stableService, canaryService].includes(live.metadata.name)) live.spec.selector['rollouts-pod-template-hash'] = '6d4f8c9b7';
    return live;
  });
}

/** Metric names a PromQL expression reads (identifiers before a selector or range). */
function metricNames(expr: string): string[] {
  const functions = new Set(['sum', 'rate', 'increase', 'histogram_quantile', 'vector', 'on', 'by']);
  return [...expr.replace(/"[^"]*"/g, '""').matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[)/g)].map((match) => match[1]!).filter((name) => !functions.has(name));
}

describe('the release gate spec (release/gate.yaml)', () => {
  it('is valid and expressible on both targets', () => {
    expect(gate.steps.length).toBeGreaterThan(0);
    expect(gate.steps.every((step) => step.pauseMinutes >= gate.windowMinutes)).toBe(true);
  });

  it.each([
    ['unequal steps CodeDeploy cannot shift', 'steps: [{ weight: 10, pauseMinutes: 5 }, { weight: 50, pauseMinutes: 5 }]', /linear/],
    ['steps shorter than the window', 'steps: [{ weight: 10, pauseMinutes: 1 }]', /window/],
    ['an unknown field', 'steps: [{ weight: 10, pauseMinutes: 5 }]\nmaxErrors: 3', /maxErrors/],
  ])('refuses %s', (_, tail, message) => {
    expect(() => parseGate(`maxErrorRate: 0.02\nmaxP99Seconds: 0.25\nminRequests: 100\nwindowMinutes: 5\n${tail}\n`)).toThrow(message);
  });
});

describe.each(ENVIRONMENTS)('the chart for %s with rollout.enabled', (environment) => {
  let objects: K8sObject[];
  let rollout: K8sObject;
  let template: K8sObject;
  beforeAll(async () => {
    objects = await render(environment, ROLLOUT_ON);
    rollout = only(objects, 'Rollout');
    template = only(objects, 'AnalysisTemplate');
  }, 60_000);

  it('passes helm lint --strict', async () => {
    const { stdout } = await helm(['lint', '--strict', CHART_DIR, '--values', join(CHART_DIR, `values-${environment}.yaml`), '--set', 'rollout.enabled=true']);
    expect(stdout).toContain('0 chart(s) failed');
  });

  it('refuses to render without an ALB, which sets the weights', async () => {
    await expect(render(environment, ['rollout.enabled=true', 'ingress.className=nginx'])).rejects.toThrow(/ingress.className alb/);
  });

  it('renders a Rollout and an AnalysisTemplate the Argo Rollouts CRD schemas accept, unknown fields rejected', () => {
    expect(argo.validate(rollout)).toEqual([]);
    expect(argo.validate(template)).toEqual([]);
    for (const object of [rollout, template]) expect(kubernetes.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: object.metadata } as never)).toEqual([]);
  });

  it('is caught by the strict validation when a field is misspelt or mistyped', () => {
    const misspelt = structuredClone(rollout);
    misspelt.spec.strategy.canary.trafficRouting.alb.servicePorts = 80;
    const mistyped = structuredClone(template);
    mistyped.spec.metrics[0].interval = 60;
    expect(argo.validate(misspelt).join('\n')).toContain('servicePorts');
    expect(argo.validate(mistyped).join('\n')).toContain('/spec/metrics/0/interval');
  });

  it('keeps every other object valid against the Kubernetes schemas, and the pod template the Deployment\'s, at 0 replicas', async () => {
    for (const object of objects.filter((candidate) => kubernetes.knows(candidate))) expect(kubernetes.validate(object), `${object.kind}/${object.metadata.name}`).toEqual([]);
    const plain = only(await render(environment, EVERYTHING_ON), 'Deployment');
    const deployment = only(objects, 'Deployment');
    expect(deployment.spec.template).toEqual(plain.spec.template);
    expect(deployment.spec.replicas).toBe(0);
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(rollout.spec.selector).toEqual(deployment.spec.selector);
  });

  it('shifts a share of traffic on the ALB: the Ingress forwards by the Rollouts action, to stable and canary Services of the http port', () => {
    const { stableService, canaryService, trafficRouting } = rollout.spec.strategy.canary;
    const ingress = only(objects, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(trafficRouting.alb.ingress).toBe(ingress.metadata.name);
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: trafficRouting.alb.rootService, port: { name: 'use-annotation' } });
    for (const name of [stableService, canaryService]) {
      const service = objects.find((object) => object.kind === 'Service' && object.metadata.name === name)!;
      expect(service.spec.ports).toContainEqual(expect.objectContaining({ port: trafficRouting.alb.servicePort, targetPort: 'http' }));
    }
  });

  it('moves through the gate\'s steps and pauses, judged all along by the gate\'s AnalysisTemplate on the canary\'s pods', () => {
    const { steps, analysis } = rollout.spec.strategy.canary;
    expect(steps).toEqual(gate.steps.flatMap((step) => [{ setWeight: step.weight }, { pause: { duration: `${step.pauseMinutes}m` } }]));
    expect(analysis.templates).toEqual([{ templateName: template.metadata.name }]);
    expect(analysis.args).toEqual([{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }]);
    for (const metric of template.spec.metrics) {
      expect(metric.failureLimit).toBe(0);
      expect(metric.provider.prometheus.query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
      expect(metric.provider.prometheus.query).toContain(`[${gate.windowMinutes}m]`);
    }
    const monitor = only(objects, 'ServiceMonitor');
    expect(monitor.spec.podTargetLabels).toContain('rollouts-pod-template-hash');
  });

  it('queries only metrics the app exports', async () => {
    const { metrics, exposition } = createPrometheusMetrics();
    metrics.requestStarted()({ method: 'GET', route: '/healthz', status: 200 }, 0.001);
    const exported = new Set((await exposition()).body.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(/[{ ]/)[0]!));
    const queried = template.spec.metrics.flatMap((metric: K8sObject['spec']) => metricNames(metric.provider.prometheus.query));
    expect(queried).toContain('http_request_duration_seconds_bucket');
    expect(queried.filter((name: string) => !exported.has(name))).toEqual([]);
  });

  it('has the controllers it relies on listed among the cluster add-ons, the Argo Rollouts controller pinned', () => {
    const names = CLUSTER_ADDONS.map((addon) => addon.name);
    expect(names).toEqual(expect.arrayContaining(['aws-load-balancer-controller', 'kube-prometheus-stack', 'argo-rollouts']));
    expect(CLUSTER_ADDONS.find((addon) => addon.name === 'argo-rollouts')).toMatchObject({ kind: 'helm', chart: 'argo/argo-rollouts', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('scales the Rollout, not the empty Deployment, with the HPA', () => {
    expect(only(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: rollout.metadata.name });
    expect(rollout.spec.replicas).toBeUndefined();
  });

  describe('under Argo CD', () => {
    const app = parse(readFileSync(`k8s/argocd/duet-${environment}.yaml`, 'utf8'));
    const project = parse(readFileSync('k8s/argocd/project.yaml', 'utf8'));
    const ignores: Ignore[] = app.spec.ignoreDifferences;

    it('is allowed by the project to manage the Rollout and the AnalysisTemplate', () => {
      const allowed = project.spec.namespaceResourceWhitelist.map((entry: { group: string; kind: string }) => `${entry.group}/${entry.kind}`);
      for (const object of objects) expect(allowed, object.kind).toContain(`${object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : ''}/${object.kind}`);
    });

    it('sees no difference mid-release or after an abort, so self-heal never fights the Rollouts controller or a rollback', () => {
      const live = liveDuringRelease(objects);
      const drifted = objects.filter((desired, index) => JSON.stringify(normalized(desired, ignores)) !== JSON.stringify(normalized(live[index]!, ignores)));
      expect(drifted.map((object) => object.kind)).toEqual([]);
      // The model can fail: without the application's ignores, every object the controllers write to differs.
      const unignored = objects.filter((desired, index) => JSON.stringify(desired) !== JSON.stringify(live[index]));
      expect(unignored.map((object) => object.kind).sort()).toEqual(['Ingress', 'Rollout', 'Service', 'Service']);
    });
  });
});

describe('the chart with the default values', () => {
  it('renders the plain Deployment and no Argo Rollouts object', async () => {
    const objects = await render('prod', EVERYTHING_ON);
    expect(objects.filter((object) => object.apiVersion.startsWith('argoproj.io/'))).toEqual([]);
    expect(only(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef.kind).toBe('Deployment');
  });
});
