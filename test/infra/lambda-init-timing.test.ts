import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_AUTH_ENV } from '../support/auth.js';
import { makeHttpApiEvent } from '../support/lambda-events.js';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'duet-init-'));

/** Bundled as serverless.yml's custom.esbuild bundles each function. */
beforeAll(async () => {
  await build({
    entryPoints: { tasks: 'handlers/tasks.ts', lambdalith: 'handlers/lambdalith.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    outdir: out,
    outExtension: { '.js': '.mjs' },
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

// A sandbox in miniature: times the bundle's import from outside, then answers two events.
const SANDBOX = `
const started = performance.now();
const { handler } = await import(process.env.BUNDLE);
const importMs = performance.now() - started;
const event = JSON.parse(process.env.EVENT);
const context = { awsRequestId: 'init-test', getRemainingTimeInMillis: () => 10000 };
const first = await handler(event, context);
const second = await handler(event, context);
// stdout carries the function's log and EMF lines.
process.stderr.write(JSON.stringify({ importMs, first: first.headers['server-timing'], second: second.headers['server-timing'] }));
`;

async function coldStart(bundle: string, event: unknown) {
  const env = { ...process.env, ...OFFLINE_AUTH_ENV, TABLE_NAME: 't', BUCKET_NAME: 'b', AWS_REGION: 'us-east-1', AUTH_CLAIMS: 'gateway', LOG_LEVEL: 'silent' };
  const { stderr } = await run(process.execPath, ['--input-type=module', '-e', SANDBOX], {
    env: { ...env, BUNDLE: join(out, `${bundle}.mjs`), EVENT: JSON.stringify(event) },
  });
  return JSON.parse(stderr) as { importMs: number; first: string; second: string };
}

const initOf = (header: string) => Number(/(?:^|, )init;dur=(\d+\.\d+)/.exec(header)?.[1]);

describe.each([
  ['a per-route function', 'tasks', makeHttpApiEvent('GET', '/v1/tasks')],
  ['the lambdalith', 'lambdalith', makeHttpApiEvent('GET', '/healthz')],
])('Server-Timing of %s', (_name, bundle, event) => {
  it("reports the sandbox's init on its first invocation only, after the service's own time", async () => {
    // Act
    const { first, second } = await coldStart(bundle, event);

    // Assess
    expect(first).toMatch(/^app;dur=\d+\.\d{3}, init;dur=\d+\.\d{3}$/);
    expect(second).toMatch(/^app;dur=\d+\.\d{3}$/);
  });

  it("starts the init clock as the bundle's first module runs, so init covers the modules' evaluation", async () => {
    // Act
    const { importMs, first } = await coldStart(bundle, event);

    // Assess: before any of its code runs, the import reads, parses and compiles the whole file
    // (about half of it here), which no clock inside the bundle can see; evaluated last, the
    // clock would see a few milliseconds.
    expect(initOf(first)).toBeGreaterThan(importMs * 0.25);
    expect(initOf(first)).toBeLessThan(importMs + 1000);
  });
});
