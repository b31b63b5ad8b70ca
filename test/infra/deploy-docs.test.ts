import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLUSTER_ADDONS, LB_CONTROLLER } from '../../cdktf/cluster-addons.js';
import { LB_CONTROLLER_SERVICE_ACCOUNT } from '../../cdktf/names.js';
import { TERRAFORM_MIN_VERSION } from '../../cdktf/stacks.js';
import { makeSettings, parse, synthStacks } from './cdktf-support.js';

/*
 * docs/deploy-eks.md walked as a script, offline: its shell blocks parse, and every cdktf output,
 * chart value, file and pinned version it names is the real one. A renamed output, value or file
 * breaks this test, not a deploy.
 */
const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const doc = read('docs/deploy-eks.md');
const cdktfDoc = read('docs/cdktf.md');
const blocks = [...doc.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
/** The commands, one per logical line (backslash continuations joined), comments dropped. */
const commands = blocks
  .flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n'))
  .map((line) => line.replace(/\s+#(?![^"']*["']).*$/, '').trim())
  .filter(Boolean);
const synth = parse(synthStacks(makeSettings()).dev);
const outputs = new Set(Object.keys(synth.output));

/** Placeholders that are the deployer's own, not cdktf outputs. */
const OWN_PLACEHOLDERS = new Set([
  'region', 'account-id', 'token', 'code', 'host', 'env', 'your team\'s role', 'an access token of the stage\'s issuer', 'owner/name',
  'its release name', 'unknown',
]);

describe('docs/deploy-eks.md, walked as a script', () => {
  it('has shell blocks that bash can parse, placeholders filled in', () => {
    expect(blocks.length).toBeGreaterThan(6);
    for (const block of blocks) {
      const filled = block.replace(/<[^<>\n]+>/g, 'PLACEHOLDER');
      const result = spawnSync('bash', ['-n'], { input: filled, encoding: 'utf8' });
      expect(result.status, `${block}\n${result.stderr}`).toBe(0);
    }
  });

  it('names only cdktf outputs (or the deployer\'s own values) in its <placeholders>', () => {
    const placeholders = new Set([...doc.matchAll(/<([^<>\n]+)>/g)].map((match) => match[1]!).filter((name) => !/^https?:/.test(name)));
    const unknown = [...placeholders].filter((name) => !outputs.has(name) && !OWN_PLACEHOLDERS.has(name) && !/^[A-Z]/.test(name));
    expect(unknown).toEqual([]);
    for (const name of ['cluster_name', 'cluster_arn', 'cluster_endpoint', 'api_jump_host_id', 'lb_controller_role_arn', 'image_repository', 'vpc_id']) {
      expect(placeholders, name).toContain(name);
    }
  });

  it('lists the outputs `npx cdktf output` prints, all of which exist', () => {
    const listing = /npx cdktf output duet-dev\s+#([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const listed = [...listing.matchAll(/\b([a-z]+(?:_[a-z0-9]+)+)\b/g)].map((match) => match[1]!);
    expect(listed.filter((name) => !outputs.has(name))).toEqual([]);
    expect([...outputs].filter((name) => !['lambda_endpoint', 'eks_endpoint', 'deployment_bucket'].includes(name) && !listed.includes(name))).toEqual([]);
  });

  it('maps chart values that exist to cdktf outputs that exist', () => {
    const table = /\| key \| value \|\n\|---\|---\|\n((?:\|.*\|\n)+)/.exec(doc)?.[1] ?? '';
    const values = parseYaml(read('k8s/chart/values.yaml'));
    const schema = JSON.parse(read('k8s/chart/values.schema.json'));
    const known = (path: string) => {
      let node = schema;
      for (const key of path.split('.')) node = node?.properties?.[key];
      return node !== undefined || path.split('.').reduce((value: any, key) => value?.[key], values) !== undefined;
    };
    const rows = table.trim().split('\n').map((row) => row.split('|').map((cell) => cell.trim()));
    const keys = rows.flatMap((row) => [...row[1]!.matchAll(/`([a-zA-Z.]+)`/g)].map((match) => match[1]!));
    expect(keys.filter((key) => !known(key))).toEqual([]);
    const named = rows.flatMap((row) => [...row[2]!.matchAll(/`([a-z]+(?:_[a-z0-9]+)+)`/g)].map((match) => match[1]!));
    expect(named.filter((name) => !outputs.has(name))).toEqual([]);
    expect(keys).toContain('networkPolicy.ingressCIDRs');
    expect(named).toContain('load_balancer_subnet_cidrs');
  });

  it('names only files that exist', () => {
    // Paths followed by a <placeholder> or a `*` are patterns; a path may also be a prefix (a vitest filter).
    const paths = new Set([...`${doc}\n${cdktfDoc}`.matchAll(/(?<![\w/.@-])((?:k8s|container|scripts|cdktf|serverless|docs|test)\/[\w./-]*[\w-])(?![<*\w])/g)].map((match) => match[1]!));
    const exists = (path: string) => existsSync(join(root, path)) || (existsSync(join(root, dirname(path))) && readdirSync(join(root, dirname(path))).some((name) => name.startsWith(basename(path))));
    const missing = [...paths].filter((path) => !exists(path));
    expect(missing).toEqual([]);
    for (const command of commands.filter((line) => line.startsWith('kubectl apply'))) {
      for (const [, file] of command.matchAll(/-f (k8s\/\S+)/g)) expect(existsSync(join(root, file!)), file).toBe(true);
    }
  });

  it('installs the load balancer controller at the chart version its IAM policy was checked against, with cdktf\'s role', () => {
    const install = commands.find((line) => line.startsWith('helm install aws-load-balancer-controller'))!;
    expect(install).toContain(`${LB_CONTROLLER.chart} --version ${LB_CONTROLLER.version}`);
    expect(install).toContain(`-n ${LB_CONTROLLER_SERVICE_ACCOUNT.namespace}`);
    expect(install).toContain(`serviceAccount.name=${LB_CONTROLLER_SERVICE_ACCOUNT.name}`);
    expect(install).toMatch(/role-arn"=<lb_controller_role_arn>/);
    expect(install).toContain('clusterName=<cluster_name>');
  });

  it('installs every add-on that is not cdktf\'s at its pinned version, and lists every add-on in its table', () => {
    for (const addon of CLUSTER_ADDONS) {
      expect(doc, addon.name).toContain(`| \`${addon.name}\` |`);
      if (addon.kind === 'helm') expect(commands.some((line) => line.startsWith('helm install') && line.includes(`${addon.chart} --version ${addon.version}`)), addon.name).toBe(true);
      if (addon.kind === 'manifest') expect(commands.some((line) => line.includes(`/argo-cd/${addon.version}/manifests/install.yaml`)), addon.name).toBe(true);
    }
    // The EKS add-ons are cdktf's: the docs never install or update them by hand.
    expect(commands.filter((line) => /aws eks (create|update)-addon/.test(line))).toEqual([]);
  });

  it('installs kube-prometheus-stack under the release name the chart labels its objects with', () => {
    const monitoring = CLUSTER_ADDONS.find((addon) => addon.name === 'kube-prometheus-stack');
    const install = commands.find((line) => monitoring?.kind === 'helm' && line.startsWith('helm install') && line.includes(monitoring.chart))!;
    const release = /helm install (\S+)/.exec(install)?.[1];
    expect(release).toBe(parseYaml(read('k8s/chart/values.yaml')).monitoring.prometheusRelease);
  });

  it('builds the image for the nodes\' architecture (Graviton: linux/arm64)', () => {
    const [, nodes] = Object.entries(synth.resource.aws_eks_node_group!)[0]!;
    expect(nodes.ami_type).toMatch(/ARM_64/);
    const builds = commands.filter((line) => /docker (buildx )?build/.test(line));
    expect(builds.length).toBeGreaterThan(0);
    for (const build of builds) expect(build).toContain('--platform linux/arm64');
    expect(read('README.md')).toMatch(/docker buildx build --platform linux\/arm64/);
  });

  it('reaches the private API through the jump host before any kubectl or helm command', () => {
    const first = commands.findIndex((line) => /^(kubectl|helm install)/.test(line));
    const tunnel = commands.findIndex((line) => line.includes('AWS-StartPortForwardingSessionToRemoteHost'));
    expect(tunnel).toBeGreaterThan(-1);
    expect(tunnel).toBeLessThan(first);
    expect(commands[tunnel]).toContain('--target <api_jump_host_id>');
    expect(commands.some((line) => line.startsWith('kubectl config set-cluster <cluster_arn>') && line.includes('--tls-server-name'))).toBe(true);
  });
});

describe('the prerequisites', () => {
  it('ask for the Terraform version the stacks require', () => {
    const [major, minor] = TERRAFORM_MIN_VERSION.split('.');
    for (const text of [doc, cdktfDoc]) expect(text).toContain(`Terraform ≥ ${major}.${minor}`);
  });

  it('document every DUET_* setting cdktf reads, and name none it does not', () => {
    const source = read('cdktf/environments.ts');
    const read_ = new Set([...source.matchAll(/\b(DUET_[A-Z_]+)\b/g)].map((match) => match[1]!.replace(/_$/, '')));
    const documented = new Set([...cdktfDoc.matchAll(/`(DUET_[A-Z_<>]+)`/g)].map((match) => match[1]!));
    const perStage = (name: string) => name.replace(/^DUET_(DEV|PROD)_/, 'DUET_<STAGE>_');
    for (const name of read_) {
      if (name === 'DUET_PROD_API_CIDRS' || name.endsWith('_AUTH') || name === 'DUET') continue;
      expect(documented.has(name) || documented.has(perStage(name)), name).toBe(true);
    }
    for (const name of ['DUET_GITHUB_OIDC_PROVIDER_ARN', 'DUET_STATE_ROLE_ARN', 'DUET_<STAGE>_CLUSTER_ADMIN_ARNS', 'DUET_GITHUB_REPOSITORY']) {
      expect(`${doc}\n${cdktfDoc}`, name).toContain(name);
    }
    expect(doc).toContain('DUET_GITHUB_OIDC_PROVIDER_ARN');
  });

  it('say that the Lambda deployment bucket is wired (no stale "not wired yet")', () => {
    expect(cdktfDoc).not.toMatch(/not wired yet/i);
    expect(read('README.md')).not.toMatch(/npx sls package\s+#.*\(no AWS access needed\)/);
  });
});
