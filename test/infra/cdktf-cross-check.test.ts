import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLUSTER_ADDONS } from '../../cdktf/cluster-addons.js';
import { environments } from '../../cdktf/environments.js';
import { APP_SERVICE_ACCOUNT, SSM_KEYS, type Stage } from '../../cdktf/names.js';
import { makeSettings, parse, resourcesOf, synthStacks, type Synth } from './cdktf-support.js';
import { EVERYTHING_ON, render } from './manifests.js';

/*
 * The names serverless.yml and the Helm chart use are the ones cdktf publishes. Reads:
 * serverless.yml, core/config.ts, and when present k8s/chart/{values.yaml,values-<stage>.yaml,
 * templates/configmap.yaml,templates/serviceaccount.yaml} and k8s/argocd/*.yaml.
 */
const root = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const json = synthStacks();
const stacks: Record<Stage, Synth> = { dev: parse(json.dev), prod: parse(json.prod) };
const STAGES: Stage[] = ['dev', 'prod'];

/** The variables loadConfig reads: the keys of the Env schema in core/config.ts. */
const configKeys = new Set([...read('core/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]*):\s*z\b/gm)].map((m) => m[1]!));

/** A scalar at `a.b` in a block-style YAML mapping (enough for values files; no flow maps). */
function yamlScalar(text: string, path: string): string | undefined {
  const [parent, key] = path.split('.');
  const block = new RegExp(`^${parent}:[ \\t]*(?:#.*)?\\n((?:(?: {2}.*)?\\n)*)`, 'm').exec(text)?.[1] ?? '';
  const value = new RegExp(`^ {2}${key}:[ \\t]*(.*?)[ \\t]*(?:#.*)?$`, 'm').exec(block)?.[1];
  return value?.replace(/^(["'])(.*)\1$/, '$2');
}

describe('serverless.yml', () => {
  const yml = read('serverless.yml');

  it('still reads names from SSM (the cross-check below would prove nothing otherwise)', () => {
    expect(yml).toMatch(/AWS::SSM::Parameter::Value<String>/);
  });

  it.each(STAGES)('reads only SSM parameters the %s stack publishes', (stage) => {
    const read = [...yml.matchAll(/\/duet\/\$\{sls:stage\}\/([a-z0-9-]+)/g)].map((m) => `/duet/${stage}/${m[1]}`);
    const published = resourcesOf(stacks[stage], 'aws_ssm_parameter').map(([, body]) => body.name as string);
    expect(read.length).toBeGreaterThanOrEqual(4);
    expect(published).toEqual(expect.arrayContaining(read));
    expect(published.sort()).toEqual(SSM_KEYS.map((key) => `/duet/${stage}/${key}`).sort());
  });

  it.each(STAGES)('reads every SSM parameter the %s stack publishes for it (serverless.yml or serverless/stage.cjs)', (stage) => {
    const texts = [yml.replaceAll('${sls:stage}', stage), read('serverless/stage.cjs').replaceAll('${stage}', stage)].join('\n');
    const unread = SSM_KEYS.filter((key) => !texts.includes(`/duet/${stage}/${key}`));
    expect(unread).toEqual([]);
  });

  it('verifies tokens at the HTTP API with the issuer and audience cdktf publishes', () => {
    const parameter = (key: string) => new RegExp(`^ {4}(\\w+):\\n {6}Type: AWS::SSM::Parameter::Value<String>\\n {6}Default: /duet/\\$\\{sls:stage\\}/${key}$`, 'm').exec(yml)?.[1];
    const issuer = parameter('auth-issuer');
    const audience = parameter('auth-audience');
    expect(issuer).toBeDefined();
    expect(audience).toBeDefined();
    expect(yml).toMatch(new RegExp(`authIssuer: \\{ Ref: ${issuer} \\}`));
    expect(yml).toMatch(new RegExp(`authAudience: \\{ Ref: ${audience} \\}`));
    expect(yml).toMatch(/issuerUrl: \$\{param:authIssuer\}/);
    expect(yml).toMatch(/audience:\s*\n\s*- \$\{param:authAudience\}/);
  });

  it('sets only environment variables the app reads (plus NODE_OPTIONS for the runtime)', () => {
    const block = /^ {2}environment:\n((?: {4}.*\n)+)/m.exec(yml)?.[1] ?? '';
    const names = [...block.matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['TABLE_NAME', 'BUCKET_NAME', 'LOG_LEVEL', 'SERVICE_VERSION']));
    expect(names.filter((name) => name !== 'NODE_OPTIONS' && !configKeys.has(name))).toEqual([]);
  });

  // The Lambda roles against the IRSA role: test/infra/lambda-package.test.ts, on the packaged templates.
});

describe('core/config.ts', () => {
  it('reads the variables docs/design.md names, which cdktf and the chart set', () => {
    for (const key of ['TABLE_NAME', 'BUCKET_NAME', 'AWS_REGION', 'LOG_LEVEL', 'PORT', 'SERVICE_VERSION']) expect(configKeys).toContain(key);
  });

  it('reads the auth and CORS variables cdktf\'s outputs and the chart feed (schema keys split over lines included)', () => {
    for (const key of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL', 'AUTH_CLAIMS', 'CORS_ORIGINS']) expect(configKeys).toContain(key);
  });
});

const chart = 'k8s/chart';
describe.runIf(existsSync(join(root, chart, 'Chart.yaml')))('Helm chart (k8s/chart)', () => {
  it('names the ServiceAccount the IRSA role trusts', () => {
    expect(yamlScalar(read(`${chart}/values.yaml`), 'serviceAccount.name')).toBe(APP_SERVICE_ACCOUNT.name);
  });

  it('annotates the ServiceAccount with the IRSA role', () => {
    expect(read(`${chart}/templates/serviceaccount.yaml`)).toMatch(/eks\.amazonaws\.com\/role-arn/);
  });

  it('sets only environment variables the app reads, including table, bucket, region and the token issuer', () => {
    const data = /^data:\n((?: {2}.*\n?)+)/m.exec(read(`${chart}/templates/configmap.yaml`))?.[1] ?? '';
    const names = [...data.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['TABLE_NAME', 'BUCKET_NAME', 'AWS_REGION', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL', 'CORS_ORIGINS']));
    expect(names.filter((name) => !configKeys.has(name))).toEqual([]);
    // The container always verifies tokens itself: AUTH_CLAIMS=gateway is for Lambda behind API Gateway only.
    expect(names).not.toContain('AUTH_CLAIMS');
  });

  const stageValues = STAGES.filter((stage) => existsSync(join(root, chart, `values-${stage}.yaml`)));
  it.runIf(stageValues.length > 0).each(stageValues)('values-%s.yaml points at the table and IRSA role cdktf creates', (stage) => {
    const values = read(`${chart}/values-${stage}.yaml`);
    const [, table] = resourcesOf(stacks[stage], 'aws_dynamodb_table')[0]!;
    expect(yamlScalar(values, 'config.tableName')).toBe(table.name);
    expect(yamlScalar(values, 'serviceAccount.roleArn')).toMatch(new RegExp(`:role/duet-${stage}-app$`));
  });

  it.runIf(stageValues.length > 0).each(stageValues)('values-%s.yaml trusts tokens of the Cognito pool and client cdktf creates', (stage) => {
    const values = parseYaml(read(`${chart}/values-${stage}.yaml`)) as { config: Record<string, unknown> };
    const region = environments(makeSettings()).find((env) => env.stage === stage)!.region;
    // The pool id and client id are generated: the values hold their shape until the outputs are copied in.
    expect(stacks[stage].output.auth_issuer!.value).toMatch(/^https:\/\/\$\{aws_cognito_user_pool\.[^.]+\.endpoint\}$/);
    expect(values.config.authIssuer).toMatch(new RegExp(`^https://cognito-idp\\.${region}\\.amazonaws\\.com/${region}_[0-9A-Za-z]+$`));
    expect(stacks[stage].output.auth_audience!.value).toMatch(/^\$\{aws_cognito_user_pool_client\.[^.]+\.id\}$/);
    expect(values.config.authAudience).toMatch(/^[0-9a-z]{26}$/);
    if (values.config.authJwksUrl !== undefined) expect(values.config.authJwksUrl).toBe(`${values.config.authIssuer}/.well-known/jwks.json`);
  });

  // Prod's origins come from the deployer (DUET_PROD_ORIGINS); dev's are localhost plus DUET_DEV_ORIGINS (none here).
  it.runIf(stageValues.includes('dev'))('values-dev.yaml lets browsers call the API from the origins cdktf lets them upload from', () => {
    const values = parseYaml(read(`${chart}/values-dev.yaml`)) as { config: { corsOrigins?: string[] } };
    const dev = environments(makeSettings()).find((env) => env.stage === 'dev')!;
    expect(values.config.corsOrigins).toEqual(dev.corsAllowedOrigins);
  });
});

const argocd = join(root, 'k8s/argocd');
const applications = existsSync(argocd)
  ? readdirSync(argocd).filter((file) => /\.ya?ml$/.test(file) && /^kind: Application$/m.test(readFileSync(join(argocd, file), 'utf8')))
  : [];
describe.runIf(applications.length > 0)('Argo CD applications (k8s/argocd)', () => {
  it.each(applications)('%s deploys into the namespace the IRSA role trusts', (file) => {
    const destination = /^ {2}destination:\n((?: {4}.*\n)+)/m.exec(readFileSync(join(argocd, file), 'utf8'))?.[1] ?? '';
    expect(/^ {4}namespace:\s*(\S+)/m.exec(destination)?.[1]).toBe(APP_SERVICE_ACCOUNT.namespace);
  });
});

describe.each(STAGES)('%s: the chart and serverless.yml against cdktf', (stage) => {
  const values = () => parseYaml(read(`${chart}/values-${stage}.yaml`)) as { config: { corsOrigins?: string[] }; networkPolicy: { ingressCIDRs: string[] } };

  it('admits traffic to the pods only from the load balancer subnets cdktf outputs, not the whole VPC', () => {
    const output = stacks[stage].output.load_balancer_subnet_cidrs!.value as string[];
    expect(values().networkPolicy.ingressCIDRs).toEqual(output);
    const vpc = environments(makeSettings()).find((env) => env.stage === stage)!.vpcCidr;
    expect(values().networkPolicy.ingressCIDRs).not.toContain(vpc);
  });

  it('lets browsers call the Lambda and container targets from the same origins', () => {
    const lambda = parseYaml(read(`serverless/stages/${stage}.yml`)) as { corsOrigins: string[] };
    expect(lambda.corsOrigins).toEqual(values().config.corsOrigins ?? []);
  });
});

describe.each(STAGES)('%s: cluster add-ons (cdktf/cluster-addons.ts)', (stage) => {
  const installed = () => Object.fromEntries(resourcesOf(stacks[stage], 'aws_eks_addon').map(([, body]) => [body.addon_name as string, body]));

  it('installs every EKS add-on of the list, and no other, adopting what EKS installed itself', () => {
    const listed = CLUSTER_ADDONS.filter((addon) => addon.kind === 'eks-addon');
    expect(Object.keys(installed()).sort()).toEqual(listed.map((addon) => addon.name).sort());
    for (const addon of listed) {
      const body = installed()[addon.name]!;
      expect(body, addon.name).toMatchObject({ resolve_conflicts_on_create: 'OVERWRITE' });
      expect(body.configuration_values && JSON.parse(body.configuration_values), addon.name).toEqual(addon.configuration);
      expect(Boolean(body.depends_on?.some((dependency: string) => dependency.startsWith('aws_eks_node_group.'))), addon.name).toBe(addon.afterNodes);
    }
  });

  it('has the VPC CNI enforce network policies, metrics-server serve resource metrics, Pod Identity run', () => {
    expect(JSON.parse(installed()['vpc-cni']!.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(installed()).toHaveProperty('metrics-server');
    expect(installed()).toHaveProperty('eks-pod-identity-agent');
    expect(installed()).toHaveProperty('coredns');
    expect(installed()).toHaveProperty('kube-proxy');
  });

  it('lists an add-on for everything the rendered chart and the Argo CD applications rely on', async () => {
    const objects = await render(stage, EVERYTHING_ON);
    const kinds = new Set(objects.map((object) => object.kind));
    const needed = new Set<string>(['argo-cd']);
    if (kinds.has('HorizontalPodAutoscaler')) needed.add('metrics-server');
    if (kinds.has('NetworkPolicy')) needed.add('vpc-cni');
    if (objects.some((object) => object.kind === 'Ingress' && object.spec.ingressClassName === 'alb')) needed.add('aws-load-balancer-controller');
    if (kinds.has('ServiceMonitor') || kinds.has('PrometheusRule')) needed.add('kube-prometheus-stack');
    const policy = objects.find((object) => object.kind === 'NetworkPolicy')!;
    if (JSON.stringify(policy.spec.egress).includes('kube-dns')) needed.add('coredns');
    expect([...needed].filter((name) => !CLUSTER_ADDONS.some((addon) => addon.name === name))).toEqual([]);
    expect(needed.size).toBe(6);
  }, 60_000);
});
