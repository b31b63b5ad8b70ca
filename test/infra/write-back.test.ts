import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { setImageTag } from '../../scripts/set-image-tag.js';
import { writeBack } from '../../scripts/write-back.js';
import { root } from '../support/npm-script.js';

// The write-back against a real bare repository, with writers racing each other as CI jobs would.
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const digest = (hex: string) => `sha256:${hex.repeat(64)}`;

let dir: string;
let origin: string;
let older: string;
let newer: string;
const clone = (name: string) => {
  git(dir, 'clone', '--quiet', origin, name);
  return join(dir, name);
};
const originFile = (environment: string) => parse(git(origin, 'show', `main:k8s/chart/values-${environment}.yaml`));
const originLog = () => git(origin, 'log', '--format=%H %P %s', 'main').split('\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'duet-write-back-test-'));
  origin = join(dir, 'origin.git');
  git(dir, 'init', '--quiet', '--bare', '-b', 'main', origin);
  // Every push waits two seconds before its ref update, so writers that start together really race.
  writeFileSync(join(origin, 'hooks', 'pre-receive'), '#!/bin/sh\nsleep 2\n');
  chmodSync(join(origin, 'hooks', 'pre-receive'), 0o755);
  const seed = join(dir, 'seed');
  git(dir, 'init', '--quiet', '-b', 'main', seed);
  mkdirSync(join(seed, 'k8s', 'chart'), { recursive: true });
  for (const environment of ['dev', 'prod']) copyFileSync(join(root, 'k8s', 'chart', `values-${environment}.yaml`), join(seed, 'k8s', 'chart', `values-${environment}.yaml`));
  const commit = (message: string) => {
    writeFileSync(join(seed, 'app.txt'), message);
    git(seed, 'add', '.');
    git(seed, '-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '--quiet', '-m', message);
    return git(seed, 'rev-parse', 'HEAD');
  };
  older = commit('first release');
  newer = commit('second release');
  git(seed, 'push', '--quiet', origin, 'main');
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the GitOps write-back', () => {
  it('lands two concurrent writers, one after the other, with no update lost', async () => {
    const before = originLog().length;
    const [dev, prod] = await Promise.all([
      writeBack({ repo: clone('writer-dev'), environment: 'dev', tag: newer, digest: digest('a') }),
      writeBack({ repo: clone('writer-prod'), environment: 'prod', tag: newer, digest: digest('b') }),
    ]);
    expect([dev.outcome, prod.outcome]).toEqual(['pushed', 'pushed']);
    expect(Math.max(dev.attempts, prod.attempts)).toBeGreaterThan(1);
    expect(originFile('dev').image).toMatchObject({ tag: newer, digest: digest('a') });
    expect(originFile('prod').image).toMatchObject({ tag: newer, digest: digest('b') });
    const log = originLog();
    expect(log).toHaveLength(before + 2);
    // Linear: each write-back commit's only parent is the commit before it.
    expect(log[0]!.split(' ')[1]).toBe(log[1]!.split(' ')[0]);
    expect(log[1]!.split(' ')[1]).toBe(log[2]!.split(' ')[0]);
    expect(log.slice(0, 2).map((line) => line.split(' ').slice(2).join(' ')).sort()).toEqual([
      `deploy ${newer} to dev [skip ci]`,
      `deploy ${newer} to prod [skip ci]`,
    ]);
  }, 60_000);

  it('changes nothing on a rerun', async () => {
    const before = originLog();
    const again = await writeBack({ repo: clone('rerun'), environment: 'dev', tag: newer, digest: digest('a') });
    expect(again.outcome).toBe('unchanged');
    expect(originLog()).toEqual(before);
  }, 30_000);

  it('never rolls an environment back to an older commit that arrives late', async () => {
    const before = originLog();
    const late = await writeBack({ repo: clone('late'), environment: 'dev', tag: older, digest: digest('c') });
    expect(late.outcome).toBe('newer-deployed');
    expect(originFile('dev').image).toMatchObject({ tag: newer, digest: digest('a') });
    expect(originLog()).toEqual(before);
  }, 30_000);

  it('runs from the command line and leaves the caller\'s checkout alone', () => {
    const repo = clone('cli');
    const script = join(root, 'scripts', 'set-image-tag.ts');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, encoding: 'utf8' });
    const head = git(repo, 'rev-parse', 'HEAD');
    // The same commit rebuilt into another image: the digest is what changes.
    const pushed = run('dev', newer, '--digest', digest('d'), '--push', '--repo', repo);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain('pushed to origin/main');
    expect(originFile('dev').image).toMatchObject({ tag: newer, digest: digest('d') });
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    const bad = run('dev', newer, '--digest', 'sha256:nope', '--push', '--repo', repo);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('not an image digest');
  }, 60_000);
});

describe('setImageTag', () => {
  const values = 'image:\n  repository: r # the ECR repository\n  tag: "0000000"\n';
  it('writes tag and digest, and drops a digest a new tag comes without', () => {
    const pinned = setImageTag(values, 'abcdef1', digest('e'));
    expect(parse(pinned).image).toEqual({ repository: 'r', tag: 'abcdef1', digest: digest('e') });
    expect(pinned).toContain('# the ECR repository');
    // promote.yml finds the digest dev runs with this very pattern.
    expect(pinned).toMatch(/^  digest: "sha256:[0-9a-f]{64}"$/m);
    expect(readFileSync(join(root, '.github', 'workflows', 'promote.yml'), 'utf8')).toContain(`grep -oE '^  digest: "sha256:[0-9a-f]{64}"'`);
    expect(parse(setImageTag(pinned, 'abcdef2')).image).toEqual({ repository: 'r', tag: 'abcdef2' });
    expect(setImageTag(pinned, 'abcdef1', digest('e'))).toBe(pinned);
  });
});
