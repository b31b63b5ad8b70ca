// The GitOps write-back: commit a new image tag (and digest) into k8s/chart/values-<env>.yaml on
// top of the remote branch and push it, so Argo CD deploys it. Safe to run concurrently and again:
// - every attempt starts from the branch as the remote has it now (fetch), applies the change in a
//   throwaway worktree (the caller's checkout is never touched) and pushes; a push that lost a race
//   is retried on the new tip, so no other writer's commit is lost;
// - a rerun that would change nothing commits nothing;
// - a late writer never rolls back: when the deployed tag is a descendant of the one it brings (both
//   known to the repository), it leaves the file alone;
// - its commit message carries [skip ci], and the workflows ignore pushes that touch only values files.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, parseDocument } from 'yaml';

const SHA = /^[0-9a-f]{7,40}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The values file with image.tag (and image.digest, removed when not given) set; the same text when nothing changes. */
export function setImageTag(valuesYaml: string, tag: string, digest?: string): string {
  if (!SHA.test(tag)) throw new Error(`not a git commit sha: ${tag}`);
  if (digest !== undefined && !DIGEST.test(digest)) throw new Error(`not an image digest (sha256:<64 hex>): ${digest}`);
  const document = parseDocument(valuesYaml);
  const quoted = (value: string) => Object.assign(document.createNode(value), { type: 'QUOTE_DOUBLE' as const });
  if (document.getIn(['image', 'tag']) !== tag) document.setIn(['image', 'tag'], quoted(tag));
  if (digest === undefined) {
    if (document.hasIn(['image', 'digest'])) document.deleteIn(['image', 'digest']);
  } else if (document.getIn(['image', 'digest']) !== digest) {
    document.setIn(['image', 'digest'], quoted(digest));
  }
  const text = document.toString();
  return text === parseDocument(valuesYaml).toString() ? valuesYaml : text;
}

/** `k8s/chart/values-<environment>.yaml`, relative to the repository root. */
export function valuesPath(environment: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(environment)) throw new Error(`not an environment name: ${environment}`);
  return join('k8s', 'chart', `values-${environment}.yaml`);
}

export interface WriteBackOptions {
  /** A clone of the repository (any branch checked out; it is left as it is). */
  repo: string;
  environment: string;
  tag: string;
  digest?: string;
  remote?: string;
  branch?: string;
  attempts?: number;
  log?: (line: string) => void;
}

export interface WriteBackResult {
  outcome: 'pushed' | 'unchanged' | 'newer-deployed';
  attempts: number;
  commit?: string;
  summary: string;
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

const succeeds = (cwd: string, args: string[]) => git(cwd, args).then(() => true, () => false);

/** Whether `newer` descends from `older`, both commits this clone has. */
async function descends(repo: string, older: string, newer: string): Promise<boolean> {
  if (older === newer) return false;
  if (!(await succeeds(repo, ['cat-file', '-e', `${older}^{commit}`])) || !(await succeeds(repo, ['cat-file', '-e', `${newer}^{commit}`]))) return false;
  return succeeds(repo, ['merge-base', '--is-ancestor', older, newer]);
}

export async function writeBack(options: WriteBackOptions): Promise<WriteBackResult> {
  const remote = options.remote ?? 'origin';
  const branch = options.branch ?? 'main';
  const maxAttempts = options.attempts ?? 6;
  const file = valuesPath(options.environment);
  const tracking = `refs/write-back/${remote}/${branch}`;
  const log = options.log ?? (() => {});
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    await git(options.repo, ['fetch', '--quiet', remote, `+refs/heads/${branch}:${tracking}`]);
    const base = await git(options.repo, ['rev-parse', tracking]);
    const worktree = mkdtempSync(join(tmpdir(), 'duet-write-back-'));
    try {
      await git(options.repo, ['worktree', 'add', '--quiet', '--detach', worktree, base]);
      const before = readFileSync(join(worktree, file), 'utf8');
      const deployed = String(parse(before)?.image?.tag ?? '');
      if (await descends(options.repo, options.tag, deployed)) {
        return { outcome: 'newer-deployed', attempts: attempt, summary: `${file}: ${deployed} is newer than ${options.tag}; left as it is` };
      }
      const after = setImageTag(before, options.tag, options.digest);
      if (after === before) return { outcome: 'unchanged', attempts: attempt, summary: `${file}: already ${options.tag}; nothing to push` };
      writeFileSync(join(worktree, file), after);
      await git(worktree, ['add', file]);
      await git(worktree, [
        '-c', `user.name=${process.env.GIT_AUTHOR_NAME ?? 'duet release'}`,
        '-c', `user.email=${process.env.GIT_AUTHOR_EMAIL ?? 'duet-release@users.noreply.github.com'}`,
        'commit', '--quiet', '-m', `deploy ${options.tag} to ${options.environment} [skip ci]`,
      ]);
      const commit = await git(worktree, ['rev-parse', 'HEAD']);
      try {
        await git(worktree, ['push', '--quiet', remote, `HEAD:refs/heads/${branch}`]);
        return { outcome: 'pushed', attempts: attempt, commit, summary: `${file}: image.tag = ${options.tag} pushed to ${remote}/${branch} as ${commit}` };
      } catch (error) {
        lastError = error;
        log(`attempt ${attempt}: the push lost a race (${error instanceof Error ? error.message.split('\n')[0] : error}); trying again on the new tip`);
      }
    } finally {
      await git(options.repo, ['worktree', 'remove', '--force', worktree]).catch(() => rmSync(worktree, { recursive: true, force: true }));
    }
    await sleep(200 * attempt + Math.random() * 300);
  }
  throw new Error(`gave up after ${maxAttempts} attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}
