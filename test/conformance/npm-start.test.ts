import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local-stack.js';
import { root, runNpmScript, stopGroup, untilBanner, type RunningScript } from '../support/npm-script.js';

const dataDir = mkdtempSync(join(tmpdir(), 'duet-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const started: RunningScript[] = [];

function npmStart(env: Record<string, string>, args: string[] = []): RunningScript {
  const run = runNpmScript('start', { DUET_DATA_DIR: dataDir, ...env }, args);
  started.push(run);
  return run;
}

const listening = (stdout: string, stderr: string) => stderr.includes('Ctrl-C') && stdout.includes('"msg":"listening"');

afterEach(async () => {
  await Promise.all(started.splice(0).map(stopGroup));
});

describe('npm start', () => {
  it('prints one short banner: the URL, the stand-ins and where their data lives, the issuer and a token command that works', async () => {
    // Prepare
    const port = await freePort();

    // Act
    const run = npmStart({ PORT: String(port) });
    const banner = await untilBanner(run, listening);

    // Assess
    const url = `http://127.0.0.1:${port}`;
    const lines = banner.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(lines[0]).toBe(`duet is listening on ${url} (the container target)`);
    expect(banner).toMatch(new RegExp(`DynamoDB Local http://127\\.0\\.0\\.1:\\d+, table duet-local, data in ${dataDir}/dynamodb\\n`));
    expect(banner).toMatch(new RegExp(`s3rver http://127\\.0\\.0\\.1:\\d+, bucket duet-local, data in ${dataDir}/s3\\n`));
    expect(readdirSync(join(dataDir, 'dynamodb')).length).toBeGreaterThan(0);
    const issuer = /issuer {2}(http:\/\/127\.0\.0\.1:\d+) \(OpenID; /.exec(banner)?.[1];
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(issuer);
    expect(((await (await fetch(discovery.jwks_uri)).json()) as { keys: unknown[] }).keys).toHaveLength(1);
    expect(banner).toContain(`(OpenID; ${url}/ signs in with any user name)`);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${issuer} http://127.0.0.1:`);
    const command = /TOKEN=\$\((.+)\)\n/.exec(banner)?.[1];
    expect(command).toBe(`DUET_DATA_DIR=${dataDir} npm run -s token -- --sub alice`);
    const token = spawnSync('sh', ['-c', command!], { cwd: root, encoding: 'utf8' }).stdout.trim();
    const tasks = await fetch(`${url}/v1/tasks`, { headers: { authorization: `Bearer ${token}` } });
    expect(tasks.status).toBe(200);
    expect(await stopGroup(run)).toBe(true);
    expect(run.stdout()).toContain('"drained":true,"msg":"stopped"');
  }, 200_000);

  it('says when it runs on the in-memory store', async () => {
    const run = npmStart({ PORT: String(await freePort()) }, ['--memory']);
    const banner = await untilBanner(run, listening);
    expect(banner).toContain('(the container target, in-memory store)');
    expect(banner).toContain('tasks   in memory (--memory)');
    expect(banner).not.toContain('DynamoDB Local');
  }, 200_000);

  it('names another port when its port is taken, and exits 1 without a stack trace', async () => {
    // Prepare
    const port = await freePort();
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));

    try {
      // Act
      const run = npmStart({ PORT: String(port) });
      const code = await run.exit;

      // Assess
      expect(code).toBe(1);
      expect(run.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(run.stderr()).toContain(`Pick another port: PORT=${port + 1} npm start`);
      expect(run.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  }, 60_000);
});
