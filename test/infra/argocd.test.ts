import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART_DIR, ENVIRONMENTS } from '../../scripts/helm.js';
import { setImageTag } from '../../scripts/set-image-tag.js';
import { EVERYTHING_ON, render } from './manifests.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => parse(readFileSync(join(root, path), 'utf8'));
const project = read('k8s/argocd/project.yaml');

describe.each(ENVIRONMENTS)('the Argo CD application for %s', (environment) => {
  const app = read(`k8s/argocd/duet-${environment}.yaml`);

  it('syncs automatically, pruning and self-healing', () => {
    expect(app.kind).toBe('Application');
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  it('deploys the chart with the environment\'s values file, which holds the image tag', () => {
    expect(existsSync(join(root, app.spec.source.path, 'Chart.yaml'))).toBe(true);
    expect(app.spec.source.helm.valueFiles).toEqual([`values-${environment}.yaml`]);
    const values = parse(readFileSync(join(CHART_DIR, `values-${environment}.yaml`), 'utf8'));
    expect(values.image.tag).toMatch(/^[0-9a-f]{7,40}$/);
  });

  it('targets namespace duet, where the IRSA role trusts ServiceAccount duet, within project duet', () => {
    expect(app.spec.destination.namespace).toBe('duet');
    expect(app.spec.project).toBe(project.metadata.name);
    expect(project.spec.sourceRepos).toContain(app.spec.source.repoURL);
    expect(project.spec.destinations).toContainEqual({ server: app.spec.destination.server, namespace: app.spec.destination.namespace });
  });

  it('labels the namespace for the load balancer controller\'s pod readiness gates, so rollouts drop no requests', () => {
    expect(app.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
    expect(app.spec.syncPolicy.managedNamespaceMetadata.labels).toMatchObject({
      'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('is allowed by its project to manage every kind the chart renders', async () => {
    const allowed = project.spec.namespaceResourceWhitelist.map((entry: { group: string; kind: string }) => `${entry.group}/${entry.kind}`);
    for (const object of await render(environment, EVERYTHING_ON)) {
      const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
      expect(allowed, object.kind).toContain(`${group}/${object.kind}`);
    }
  });
});

describe('the image tag write-back', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';

  it('changes only image.tag and keeps comments', () => {
    const before = readFileSync(join(CHART_DIR, 'values-prod.yaml'), 'utf8');
    const after = setImageTag(before, sha);
    expect(parse(after)).toEqual({ ...parse(before), image: { ...parse(before).image, tag: sha } });
    expect(after.split('\n')[0]).toBe(before.split('\n')[0]);
  });

  it('refuses anything but a commit sha', () => {
    expect(() => setImageTag('image:\n  tag: "abc1234"\n', 'latest')).toThrow(/sha/);
  });
});
