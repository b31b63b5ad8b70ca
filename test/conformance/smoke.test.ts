import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../../container/main.js';
import type { RunningServer } from '../../container/server.js';
import { startOffline } from '../../scripts/offline.js';
import type { RunningService } from '../../scripts/local-stack.js';
import { newKey, signDevToken } from '../../scripts/dev-issuer.js';
import { devIssuer } from '../support/auth.js';
import { runNpmScript, stopGroup } from '../support/npm-script.js';
import { freshStack } from '../support/stack.js';
import { client } from './client.js';

// `npm run smoke` as CI and people run it, against the container and serverless-offline.
const stack = await freshStack();
let container: RunningServer;
let offline: RunningService | undefined;

beforeAll(async () => {
  container = await runContainer({ HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent', SERVICE_VERSION: 'abc1234', ...stack.env });
  offline = await startOffline({ stage: 'local', env: { ...stack.env, LOG_LEVEL: 'silent' } });
}, 240_000);
afterAll(async () => {
  await Promise.all([container?.shutdown(), offline?.stop()]);
  stack.close();
});

async function smoke(args: string[]) {
  const run = runNpmScript('smoke', {}, args);
  try {
    const code = await run.exit;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    await stopGroup(run);
  }
}

async function tasksOf(url: string, token: string) {
  const reply = await client(() => url, () => token)('GET', '/v1/tasks?limit=100');
  expect(reply.status).toBe(200);
  return reply.json.items as unknown[];
}

describe('npm run smoke', () => {
  const targets = [
    ['the container', () => container.url],
    ['serverless-offline', () => offline!.endpoint],
  ] as const;
  for (const [name, url] of targets) {
    it(`passes against ${name}, in one summary line, leaving the tenant as it found it`, async () => {
      const token = await devIssuer().token(`smoke-${randomUUID()}`);
      const result = await smoke(['--url', url(), '--token', token]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n').at(-1)).toBe(`smoke ${url()}: ok, 6 checks passed`);
      expect(await tasksOf(url(), token)).toEqual([]);
    }, 120_000);
  }

  it('fails, naming the checks, when the token is not from the deployment\'s issuer', async () => {
    const stranger = await signDevToken(await newKey(), { sub: 'smoke-stranger' });
    const result = await smoke(['--url', container.url, '--token', stranger]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAIL create, read, patch and delete a task: create: status 401');
    expect(result.stdout).toMatch(/FAILED 1 of 6 checks \(create, read, patch and delete a task\)/);
  }, 60_000);

  it('waits for the expected version and fails when another one stays deployed', async () => {
    const token = await devIssuer().token(`smoke-${randomUUID()}`);
    const good = await smoke(['--url', container.url, '--token', token, '--expect-version', 'abc1234']);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('ok, 7 checks passed');
    const started = Date.now();
    const stale = await smoke(['--url', container.url, '--token', token, '--expect-version', 'fff9999', '--wait', '2']);
    expect(stale.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThan(2_000);
    expect(stale.stderr).toContain('FAIL serves version fff9999: GET /config reports abc1234');
  }, 60_000);

  it('exits 2 with the usage on bad arguments', async () => {
    const result = await smoke(['--url', 'not a url', '--token', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm run smoke');
  }, 30_000);
});
