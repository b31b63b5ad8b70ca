import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LB_CONTROLLER } from '../../cdktf/cluster-addons.js';
import { lbControllerStatements } from '../../cdktf/constructs/lb-controller-policy.js';

/*
 * The load balancer controller's policy against the upstream policy of the controller version the
 * docs install (a committed copy: cdktf/upstream). A controller upgrade that needs a new action, or
 * a resource type an action was not granted on, fails here instead of in a reconcile loop.
 */
const root = join(import.meta.dirname, '..', '..');
const upstreamFile = join(root, 'cdktf', 'upstream', `lb-controller-iam-policy-${LB_CONTROLLER.appVersion}.json`);
interface UpstreamStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
}
const upstream = existsSync(upstreamFile) ? (JSON.parse(readFileSync(upstreamFile, 'utf8')).Statement as UpstreamStatement[]) : [];
const ours = lbControllerStatements({ partition: 'aws', region: 'eu-west-1', accountId: '123456789012', clusterName: 'duet-dev', vpcId: 'vpc-0123' });
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** `arn:aws:elasticloadbalancing:*:*:listener/app/*` → `elasticloadbalancing:listener/app`; `*` stays `*`. */
function resourceType(arn: string): string {
  if (arn === '*') return '*';
  const [, , service, , , ...rest] = arn.split(':');
  const path = rest.join(':').split('/');
  const kind = path[0] === 'loadbalancer' || path[0] === 'listener' || path[0] === 'listener-rule' ? `${path[0]}/${path[1]}` : path[0];
  return `${service}:${kind}`;
}

/** action → the resource types a policy grants it on. */
function grants(statements: { actions: string[]; resources: string[] }[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const { actions, resources } of statements) {
    for (const action of actions) {
      const types = map.get(action) ?? new Set<string>();
      for (const resource of resources) types.add(resourceType(resource));
      map.set(action, types);
    }
  }
  return map;
}

const upstreamGrants = grants(upstream.filter((s) => s.Effect === 'Allow').map((s) => ({ actions: list(s.Action), resources: list(s.Resource) })));
const ourGrants = grants(ours.filter((s) => (s.effect ?? 'Allow') === 'Allow').map((s) => ({ actions: s.actions, resources: s.resources ?? ['*'] })));

describe(`the load balancer controller's policy (controller ${LB_CONTROLLER.appVersion}, chart ${LB_CONTROLLER.version})`, () => {
  it('has a committed copy of the upstream policy for the pinned version', () => {
    expect(existsSync(upstreamFile), upstreamFile).toBe(true);
    expect(upstream.length).toBeGreaterThan(5);
  });

  it('grants every action the upstream policy grants', () => {
    const missing = [...upstreamGrants.keys()].filter((action) => !ourGrants.has(action)).sort();
    expect(missing).toEqual([]);
  });

  it('grants no action the upstream policy does not', () => {
    const extra = [...ourGrants.keys()].filter((action) => !upstreamGrants.has(action)).sort();
    expect(extra).toEqual([]);
  });

  it('grants each action on every resource type upstream names for it (listeners and rules included)', () => {
    const gaps: string[] = [];
    for (const [action, types] of upstreamGrants) {
      const granted = ourGrants.get(action) ?? new Set<string>();
      if (granted.has('*')) continue;
      for (const type of types) if (type !== '*' && !granted.has(type)) gaps.push(`${action} on ${type}`);
    }
    expect(gaps.sort()).toEqual([]);
  });

  it('lets the controller tag the listeners and rules it creates', () => {
    for (const type of ['elasticloadbalancing:listener/app', 'elasticloadbalancing:listener-rule/app']) {
      expect(ourGrants.get('elasticloadbalancing:AddTags')).toContain(type);
    }
  });

  it('names this account and region in every ARN, where upstream leaves both open', () => {
    const arns = ours.flatMap((s) => s.resources ?? []).filter((resource) => resource !== '*');
    for (const arn of arns) expect(arn, arn).toMatch(/^arn:aws:[a-z0-9-]+:(eu-west-1)?:123456789012:/);
  });
});
