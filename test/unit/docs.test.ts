import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTE_SPECS } from '../../core/http/specs.js';

const root = resolve(import.meta.dirname, '../..');
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
/** Tracked text files (the lockfile and snapshots are generated; binaries have NUL bytes). */
const textFiles = tracked
  .filter((path) => path !== 'package-lock.json' && !path.includes('__snapshots__') && existsSync(resolve(root, path)) && statSync(resolve(root, path)).isFile())
  .map((path) => ({ path, text: readFileSync(resolve(root, path), 'utf8') }))
  .filter(({ text }) => !text.includes('\0'));
const markdown = textFiles.filter(({ path }) => path.endsWith('.md'));
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

const inside = (path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..');
};

/** Markdown without fenced code blocks and inline code, where a link is only an example. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');
const anchorsOf = (text: string) => new Set([...prose(text).matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1]!)));

type TextFile = { path: string; text: string };

const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Built from parts, so this file does not name them itself. */
const OUTSIDE = new RegExp([['DESIGN', 'md'].join('.'), ['..', 'shared'].join('/'), ['', 'work', 'shared'].join('/')].map(escape).join('|'));

function outsideMentions(files: TextFile[]): string[] {
  return files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, index) => (OUTSIDE.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [])),
  );
}

function escapingPaths(files: TextFile[]): string[] {
  return files.flatMap(({ path, text }) =>
    [...text.matchAll(/(?<![\w./-])(?:\.\.\/)+[\w@./-]*/g)]
      .filter((match) => !inside(resolve(root, dirname(path), match[0])))
      .map((match) => `${path}: ${match[0]}`),
  );
}

function brokenLinks(files: TextFile[]): string[] {
  const broken: string[] = [];
  for (const { path, text } of files) {
    for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue;
      const [file, anchor] = target!.split('#') as [string, string | undefined];
      if (!file) {
        if (anchor && !anchorsOf(text).has(anchor)) broken.push(`${path}: ${target} (no such heading)`);
        continue;
      }
      const resolved = resolve(root, dirname(path), decodeURI(file));
      if (!inside(resolved) || !existsSync(resolved)) {
        broken.push(`${path}: ${target} (no such file in the repository)`);
      } else if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile() && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push(`${path}: ${target} (no such heading)`);
      }
    }
  }
  return broken;
}

describe('the repository stands alone', () => {
  it('names no design document outside it', () => {
    expect(outsideMentions(textFiles)).toEqual([]);
  });

  it('has no relative path in any tracked file that climbs out of the repository', () => {
    expect(escapingPaths(textFiles)).toEqual([]);
  });

  it('has no symbolic link that points out of it', () => {
    const links = tracked.filter((path) => lstatSync(resolve(root, path), { throwIfNoEntry: false })?.isSymbolicLink());
    const out = links.filter((path) => !inside(resolve(root, dirname(path), readlinkSync(resolve(root, path)))));
    expect(out).toEqual([]);
  });

  it('links every relative Markdown link to a file (and heading) that exists', () => {
    expect(markdown.length).toBeGreaterThan(3);
    expect(brokenLinks(markdown)).toEqual([]);
  });

  it('would fail for a link out of the repository, a missing file or heading, and a mention of an outside contract', () => {
    const outsideLink = ['..', '..', 'shared', ['DESIGN', 'md'].join('.')].join('/');
    const file = {
      path: 'docs/example.md',
      text: `# Example\n[a](${outsideLink}) [b](missing.md) [c](auth.md#no-such-heading) [d](auth.md#answers) [e](#example) [f](#nope)\n\`[g](nope.md)\``,
    };
    expect(brokenLinks([file])).toEqual([
      `docs/example.md: ${outsideLink} (no such file in the repository)`,
      'docs/example.md: missing.md (no such file in the repository)',
      'docs/example.md: auth.md#no-such-heading (no such heading)',
      'docs/example.md: #nope (no such heading)',
    ]);
    expect(outsideMentions([file])).toHaveLength(1);
    expect(escapingPaths([file])).toEqual([`docs/example.md: ${outsideLink}`]);
  });
});

describe('docs/design.md', () => {
  const design = read('docs/design.md');

  it('lists every route of the route table, and no other', () => {
    const api = /^## HTTP API \(v1\)\n([\s\S]*?)^### /m.exec(design)?.[1] ?? '';
    const documented = [...api.matchAll(/^\| (GET|POST|PATCH|DELETE|PUT) \| (\S+) \|/gm)].map(([, method, path]) => `${method} ${path}`);
    expect(documented.sort()).toEqual(ROUTE_SPECS.map((spec) => `${spec.method} ${spec.path}`).sort());
  });

  it('names every variable loadConfig reads', () => {
    const env = /const Env = z\.object\(\{([\s\S]*?)\n\}\);/.exec(read('core/config.ts'))![1]!;
    const keys = [...env.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
    expect(keys.length).toBeGreaterThan(10);
    const configuration = /^## Configuration\n([\s\S]*?)^## /m.exec(design)?.[1] ?? '';
    expect(keys.filter((key) => !configuration.includes(`\`${key}\``))).toEqual([]);
  });

  it('states each budget npm run bench checks, in its words', () => {
    const budgets = /const budgets = \{([\s\S]*?)\n {2}\};/.exec(read('bench/run.ts'))![1]!;
    const names = [...budgets.matchAll(/^ {4}'([^']+)':/gm)].map((match) => match[1]!);
    expect(names.length).toBeGreaterThan(5);
    const section = /^## Performance budgets\n([\s\S]*)/m.exec(design)?.[1] ?? '';
    expect(names.filter((name) => !section.includes(`- ${name}\n`))).toEqual([]);
  });
});
