import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../../container/server.js';
import { loadConfig } from '../../core/config.js';
import { CHART_DIR, ENVIRONMENTS, helm, renderChart } from '../../scripts/helm.js';
import { createKubernetesValidator, type KubernetesValidator } from './kubernetes-schema.js';
import { appConfigMap, EVERYTHING_ON, only, parseManifests, render, type K8sObject } from './manifests.js';

const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'container', 'Dockerfile'), 'utf8');
const CRD_KINDS = ['ServiceMonitor', 'PrometheusRule'];

/**
 * The named container ports the Ingress reaches: each backend's Service port (by name or number)
 * followed to its targetPort, and a numeric targetPort to the container port's name.
 */
function ingressTargets(objects: K8sObject[]): string[] {
  const services = objects.filter((object) => object.kind === 'Service');
  const containerPorts: { name: string; containerPort: number }[] = only(objects, 'Deployment').spec.template.spec.containers.flatMap((container: K8sObject['spec']) => container.ports);
  const targets: string[] = only(objects, 'Ingress').spec.rules.flatMap((rule: K8sObject['spec']) =>
    rule.http.paths.map(({ backend }: K8sObject['spec']) => {
      const service = services.find((candidate) => candidate.metadata.name === backend.service.name)!;
      const port = service.spec.ports.find((candidate: { name: string; port: number }) => candidate.name === backend.service.port.name || candidate.port === backend.service.port.number);
      return typeof port.targetPort === 'number' ? containerPorts.find((candidate) => candidate.containerPort === port.targetPort)!.name : port.targetPort;
    }),
  );
  return [...new Set(targets)];
}

let validator: KubernetesValidator;
beforeAll(async () => {
  validator = await createKubernetesValidator();
});

describe.each(ENVIRONMENTS)('the chart for %s', (environment) => {
  let objects: K8sObject[];
  let deployment: K8sObject;
  let pod: K8sObject['spec'];
  beforeAll(async () => {
    objects = await render(environment, EVERYTHING_ON);
    deployment = only(objects, 'Deployment');
    pod = deployment.spec.template.spec;
  }, 60_000);

  it('passes helm lint --strict', async () => {
    const { stdout } = await helm(['lint', '--strict', CHART_DIR, '--values', join(CHART_DIR, `values-${environment}.yaml`)]);
    expect(stdout).toContain('0 chart(s) failed');
  });

  it('renders only objects the Kubernetes schemas accept, unknown fields rejected', () => {
    for (const object of objects.filter((candidate) => !CRD_KINDS.includes(candidate.kind))) {
      expect(validator.validate(object), `${object.kind}/${object.metadata.name}`).toEqual([]);
    }
  });

  it('renders no kind outside the Kubernetes schemas except the Prometheus Operator CRDs', () => {
    const unknown = objects.filter((object) => !validator.knows(object)).map((object) => object.kind);
    expect(unknown.sort()).toEqual([...CRD_KINDS].sort());
  });

  it('hardens every container and the pod', () => {
    const uid = Number(/^USER (\d+):(\d+)$/m.exec(dockerfile)?.[1]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(container.securityContext, container.name).toEqual(
        expect.objectContaining({
          runAsNonRoot: true,
          runAsUser: uid,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        }),
      );
      expect(container.securityContext.capabilities.add).toBeUndefined();
    }
  });

  it('mounts a writable volume at /tmp only', () => {
    const [container] = pod.containers;
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: expect.objectContaining({ sizeLimit: expect.any(String) }) }]);
  });

  it('pins the image to a commit, never latest', () => {
    for (const container of pod.containers) {
      const tag = String(container.image).replace(/@sha256:[0-9a-f]{64}$/, '').split(':').pop();
      expect(tag).toMatch(/^[0-9a-f]{7,40}$/);
      expect(container.image).not.toMatch(/:latest$/);
    }
  });

  it('sets requests and a memory limit on every container', () => {
    for (const container of pod.containers) {
      expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources.limits.memory).toEqual(expect.any(String));
    }
  });

  it('has startup, readiness and liveness probes, all HTTP GET on the served port', () => {
    const [container] = pod.containers;
    const port = container.ports.find((candidate: { name: string }) => candidate.name === 'http');
    expect(port.containerPort).toBe(Number(appConfigMap(objects).data.PORT));
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
  });

  it('rolls out without losing capacity', () => {
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: expect.anything() } });
  });

  it('gives the pod time for preStop and the whole drain before SIGKILL', () => {
    const preStop = pod.containers[0].lifecycle.preStop.sleep.seconds;
    expect(preStop).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000);
  });

  it('spreads pods across zones and nodes', () => {
    const keys = pod.topologySpreadConstraints.map((constraint: { topologyKey: string }) => constraint.topologyKey);
    expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    for (const constraint of pod.topologySpreadConstraints) expect(constraint.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it('leaves the replica count to the HPA, which scales on CPU and memory', () => {
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    expect(hpa.spec.metrics.map((metric: { resource: { name: string } }) => metric.resource.name).sort()).toEqual(['cpu', 'memory']);
  });

  it('keeps a PDB only where it can be honoured: fewer disruptions than the minimum replicas', () => {
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    const pdbs = objects.filter((object) => object.kind === 'PodDisruptionBudget');
    if (hpa.spec.minReplicas < 2) return expect(pdbs).toEqual([]);
    const [pdb] = pdbs;
    expect(pdb!.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb!.spec.maxUnavailable).toBeLessThan(hpa.spec.minReplicas);
  });

  it('has a NetworkPolicy: http from the ingress sources, metrics from monitoring alone, egress to DNS and HTTPS only', () => {
    const policy = only(objects, 'NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const namespaces = (rule: K8sObject['spec']) => rule.from.map((peer: K8sObject['spec']) => peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? peer.ipBlock.cidr);
    expect(policy.spec.ingress.map((rule: K8sObject['spec']) => rule.ports)).toEqual([[{ port: 'http', protocol: 'TCP' }], [{ port: 'metrics', protocol: 'TCP' }]]);
    expect(namespaces(policy.spec.ingress[0])).toContain('ingress-nginx');
    expect(namespaces(policy.spec.ingress[1])).toEqual(['monitoring']);
    const egressPorts = policy.spec.egress.flatMap((rule: K8sObject['spec']) => rule.ports.map((port: { port: number }) => port.port));
    expect([...new Set(egressPorts)].sort()).toEqual([443, 53]);
  });

  it('configures the app through a ConfigMap under docs/design.md\'s names, which the app accepts', () => {
    const configMap = appConfigMap(objects);
    const optional = ['AUTH_JWKS_URL', 'CORS_ORIGINS'];
    expect(Object.keys(configMap.data).filter((key) => !optional.includes(key)).sort()).toEqual([
      'AUTH_AUDIENCE', 'AUTH_ISSUER', 'AWS_REGION', 'BUCKET_NAME', 'HOST', 'LOG_LEVEL', 'METRICS_PORT', 'PORT', 'SERVICE_VERSION', 'TABLE_NAME',
    ]);
    expect(() => loadConfig(configMap.data, 'container')).not.toThrow();
    expect(pod.containers[0].envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
  });

  it('verifies tokens itself: issuer and audience from the values, never the Lambda-only gateway claims', () => {
    const { data } = appConfigMap(objects);
    const config = loadConfig(data, 'container');
    expect(config.auth).toMatchObject({ issuer: expect.stringMatching(/^https:\/\//), audience: expect.any(String), claims: 'token' });
    expect(config.auth.jwksUrl).toMatch(/^https:\/\/[^/:]+\//);
    expect(data).not.toHaveProperty('AUTH_CLAIMS');
  });

  it('lets the pod reach the token issuer\'s JWKS over HTTPS (Cognito serves it on the public internet)', () => {
    const policy = only(objects, 'NetworkPolicy');
    const https = policy.spec.egress.filter((rule: K8sObject['spec']) => rule.ports.some((port: { port: number; protocol: string }) => port.port === 443 && port.protocol === 'TCP'));
    const cidrs = https.flatMap((rule: K8sObject['spec']) => rule.to.map((peer: K8sObject['spec']) => peer.ipBlock?.cidr));
    expect(cidrs).toContain('0.0.0.0/0');
    for (const rule of https) expect(rule.to.flatMap((peer: K8sObject['spec']) => peer.ipBlock?.except ?? [])).toEqual([]);
  });

  it('runs as ServiceAccount duet carrying the IRSA role', () => {
    const account = only(objects, 'ServiceAccount');
    expect(account.metadata.name).toBe('duet');
    expect(account.metadata.annotations?.['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(pod.serviceAccountName).toBe('duet');
  });

  it('exposes a ClusterIP Service and a TLS Ingress on the AWS Load Balancer Controller', () => {
    const service = only(objects, 'Service');
    expect(service.spec).toMatchObject({ type: 'ClusterIP', selector: deployment.spec.selector.matchLabels });
    expect(service.spec.ports.map((port: { name: string; targetPort: string }) => [port.name, port.targetPort])).toEqual([['http', 'http'], ['metrics', 'metrics']]);
    const ingress = only(objects, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': '/readyz',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/certificate-arn': expect.stringMatching(/^arn:aws:acm:/),
    });
  });

  it('serves metrics on a container port of its own, the one the app reads as METRICS_PORT', () => {
    const ports = Object.fromEntries(pod.containers[0].ports.map((port: { name: string; containerPort: number }) => [port.name, port.containerPort]));
    expect(ports.metrics).toBe(Number(appConfigMap(objects).data.METRICS_PORT));
    expect(ports.metrics).not.toBe(ports.http);
  });

  it('never routes the Ingress to the metrics port', () => {
    expect(ingressTargets(objects)).toEqual(['http']);
  });

  it('scrapes /metrics on the metrics port and alerts on errors, latency and restarts', () => {
    expect(only(objects, 'ServiceMonitor').spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
    const rules = only(objects, 'PrometheusRule').spec.groups.flatMap((group: { rules: { alert: string; expr: string }[] }) => group.rules);
    expect(rules.map((rule: { alert: string }) => rule.alert)).toEqual(['DuetHighErrorRate', 'DuetHighLatencyP99', 'DuetPodRestarting']);
  });

  it('labels the ServiceMonitor and PrometheusRule with release=<monitoring.prometheusRelease>, which kube-prometheus-stack selects', async () => {
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as { monitoring: { prometheusRelease: string } };
    expect(values.monitoring.prometheusRelease).toBe('kube-prometheus-stack');
    for (const kind of CRD_KINDS) expect(only(objects, kind).metadata.labels?.release, kind).toBe(values.monitoring.prometheusRelease);
    const renamed = await render(environment, [...EVERYTHING_ON, 'monitoring.prometheusRelease=monitoring']);
    for (const kind of CRD_KINDS) expect(only(renamed, kind).metadata.labels?.release, kind).toBe('monitoring');
  });

  it('ships the Grafana dashboard with request, error, latency and task panels', () => {
    const dashboard = JSON.parse(objects.find((object) => object.metadata.name.endsWith('-dashboard'))!.data['duet.json']);
    const titles = dashboard.panels.map((panel: { title: string }) => panel.title).join(' | ');
    for (const word of ['Request rate', 'Errors', 'Latency percentiles', 'Tasks created, updated and deleted']) expect(titles).toContain(word);
  });
});

describe('the chart defaults', () => {
  const issuer = ['config.authIssuer=https://issuer.example.com', 'config.authAudience=duet-client'];
  const required = [
    'image.repository=example.invalid/duet',
    'image.tag=0123456789abcdef0123456789abcdef01234567',
    'config.awsRegion=eu-west-1',
    'config.tableName=duet',
    'config.bucketName=duet-attachments',
    ...issuer,
    'ingress.host=duet.example.com',
    'ingress.tls.certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/x',
  ];
  const without = (key: string) => required.filter((value) => !value.startsWith(`${key}=`));

  it('run three replicas', async () => {
    const objects = parseManifests(await renderChart({ set: required }));
    expect(only(objects, 'HorizontalPodAutoscaler').spec.minReplicas).toBe(3);
    const fixed = parseManifests(await renderChart({ set: [...required, 'autoscaling.enabled=false'] }));
    expect(only(fixed, 'Deployment').spec.replicas).toBe(3);
  });

  it('leave monitoring off until the Prometheus Operator is there', async () => {
    const kinds = parseManifests(await renderChart({ set: required })).map((object) => object.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
  });

  it('can use ingress-nginx with a TLS secret instead, still routing only to the http port', async () => {
    const objects = parseManifests(await renderChart({ set: [...required, 'ingress.className=nginx'] }));
    const ingress = only(objects, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['duet.example.com'], secretName: 'duet-tls' }]);
    expect(ingressTargets(objects)).toEqual(['http']);
  });

  it('pin the image by digest when CI wrote one, keeping the tag readable', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const objects = parseManifests(await renderChart({ set: [...required, `image.digest=${digest}`] }));
    expect(only(objects, 'Deployment').spec.template.spec.containers[0].image).toBe(`example.invalid/duet:0123456789abcdef0123456789abcdef01234567@${digest}`);
  });

  it('refuse a metrics port equal to the http port', async () => {
    await expect(renderChart({ set: [...required, 'metricsPort=3000'] })).rejects.toThrow(/metricsPort must differ from containerPort/);
  });

  it.each([
    ['the latest tag', 'image.tag=latest'],
    ['a digest that is not sha256', 'image.digest=md5:abc'],
    ['an unknown key', 'replicas=3'],
    ['a misspelt nested key', 'networkPolicy.enable=false'],
    ['a drain shorter than the server\'s', 'shutdown.drainSeconds=5'],
    ['an empty issuer', 'config.authIssuer='],
    ['an audience with spaces', 'config.authAudience=duet client'],
    ['a JWKS URL over plain http', 'config.authJwksUrl=http://issuer.example.com/jwks.json'],
    ['a JWKS URL on a port the NetworkPolicy blocks', 'config.authJwksUrl=https://issuer.example.com:8443/jwks.json'],
    ['a CORS origin with a path', 'config.corsOrigins={https://app.example.com/}'],
    ['a CORS origin with upper-case letters', 'config.corsOrigins={https://App.example.com}'],
    ['a CORS wildcard', 'config.corsOrigins={*}'],
    ['a CORS origin without a scheme', 'config.corsOrigins={app.example.com}'],
    ['a Prometheus release that is not a Helm release name', 'monitoring.prometheusRelease=Kube Prometheus'],
  ])('reject %s (values.schema.json)', async (_, bad) => {
    await expect(renderChart({ set: [...required, bad] })).rejects.toThrow(/values don't meet the specifications of the schema/);
  });

  it.each(['config.authIssuer', 'config.authAudience'])('reject a missing %s (values.schema.json)', async (key) => {
    await expect(renderChart({ set: without(key) })).rejects.toThrow(new RegExp(`missing property '${key.split('.')[1]}'`));
  });

  it('refuse to render without the environment\'s required values', async () => {
    await expect(renderChart({ set: issuer })).rejects.toThrow(/is required/);
  });

  it('pass issuer, audience, JWKS URL and CORS origins to the app as AUTH_* and CORS_ORIGINS, which it accepts', async () => {
    const set = [...required, 'config.authJwksUrl=https://issuer.example.com/keys', 'config.corsOrigins={https://app.example.com,http://localhost:5173}'];
    const { data } = appConfigMap(parseManifests(await renderChart({ set })));
    expect(data).toMatchObject({
      AUTH_ISSUER: 'https://issuer.example.com',
      AUTH_AUDIENCE: 'duet-client',
      AUTH_JWKS_URL: 'https://issuer.example.com/keys',
      CORS_ORIGINS: 'https://app.example.com,http://localhost:5173',
    });
    const config = loadConfig(data, 'container');
    expect(config.auth).toMatchObject({ issuer: 'https://issuer.example.com', audience: 'duet-client', jwksUrl: 'https://issuer.example.com/keys' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('leave AUTH_JWKS_URL and CORS_ORIGINS unset when not configured (the app derives the JWKS URL; no origin is allowed)', async () => {
    const { data } = appConfigMap(parseManifests(await renderChart({ set: required })));
    expect(Object.keys(data)).not.toContain('AUTH_JWKS_URL');
    expect(Object.keys(data)).not.toContain('CORS_ORIGINS');
    expect(loadConfig(data, 'container').auth.jwksUrl).toBe('https://issuer.example.com/.well-known/jwks.json');
  });
});
