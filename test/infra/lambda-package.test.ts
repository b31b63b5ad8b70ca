import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
const out = mkdtempSync(join(tmpdir(), 'duet-sls-'));

/** `sls package` for the default stage (no AWS access needed), into `dir`, with a mode. */
async function packageMode(mode: 'routes' | 'lambdalith'): Promise<Record<string, number>> {
  const dir = join(out, mode);
  await run(process.execPath, [cli, 'package', '--package', dir, `--param=mode=${mode}`], {
    env: { ...process.env, DUET_BUILD_ID: `test-${mode}`, SLS_TELEMETRY_DISABLED: '1' },
    timeout: 120_000,
  });
  rmSync(join('.esbuild', `test-${mode}-local`), { recursive: true, force: true });
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.zip'))
      .map((name) => [name.replace(/\.zip$/, ''), statSync(join(dir, name)).size]),
  );
}

let routes: Record<string, number>;
let lambdalith: Record<string, number>;
beforeAll(async () => {
  routes = await packageMode('routes');
  lambdalith = await packageMode('lambdalith');
}, 240_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('sls package', () => {
  it('builds one zip per route-group function', () => {
    expect(Object.keys(routes).sort()).toEqual(['attachments', 'legacy', 'ops', 'stats', 'tasks']);
  });

  it('builds a single zip for the lambdalith', () => {
    expect(Object.keys(lambdalith)).toEqual(['api']);
  });

  it('keeps every per-route zip smaller than the lambdalith zip', () => {
    for (const [name, size] of Object.entries(routes)) expect(size, name).toBeLessThan(lambdalith.api!);
  });
});
