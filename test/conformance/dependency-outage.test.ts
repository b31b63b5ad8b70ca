import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../../container/main.js';
import { ensureTable, freePort, type RunningService, startDynamoDbLocal } from '../../scripts/local-stack.js';
import { startOffline } from '../../scripts/offline.js';
import { freshStack } from '../support/stack.js';
import { client, expectProblem, type Call } from './client.js';
import { devIssuer } from '../support/auth.js';

/** Longest a request may take while DynamoDB is down: the SDK's timeouts and retries, plus slack. */
const FAIL_FAST_MS = 10_000;

/**
 * Stops DynamoDB Local mid-run and starts it again on the same port and data directory, against
 * the container and against serverless-offline: 503 with Retry-After during the outage, never a
 * 500 or a hang, and full recovery afterwards without a restart of the service.
 */
const stack = await freshStack();
const dataDir = mkdtempSync(join(tmpdir(), 'duet-outage-'));
const port = await freePort();
let dynamo: RunningService | undefined;
const startDynamo = async () => {
  dynamo = await startDynamoDbLocal({ port, dbPath: dataDir });
};
const targets: { name: string; url: string; stop(): Promise<unknown> }[] = [];

beforeAll(async () => {
  await startDynamo();
  await ensureTable(dynamo!.endpoint, stack.tableName);
  const env = { ...stack.env, DYNAMODB_ENDPOINT: dynamo!.endpoint, LOG_LEVEL: 'silent' };
  const container = await runContainer({ ...env, HOST: '127.0.0.1', PORT: '0' });
  targets.push({ name: 'container', url: container.url, stop: () => container.shutdown() });
  const offline = await startOffline({ stage: 'local', env });
  targets.push({ name: 'serverless-offline', url: offline.endpoint, stop: () => offline.stop() });
}, 240_000);

afterAll(async () => {
  await Promise.all(targets.map((target) => target.stop()));
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  stack.close();
});

async function timed(call: Call, ...args: Parameters<Call>) {
  const started = Date.now();
  const reply = await call(...args);
  return { reply, ms: Date.now() - started };
}

describe('a DynamoDB outage mid-run', () => {
  it('answers 503 with Retry-After while DynamoDB is down, and recovers by itself when it is back', async () => {
    const token = await devIssuer().token('alice');
    const calls = targets.map((target) => ({ name: target.name, call: client(() => target.url, () => token) }));
    const created: Record<string, { id: string }> = {};
    for (const { name, call } of calls) {
      const reply = await call('POST', '/v1/tasks', { body: { title: `before the outage on ${name}` } });
      expect(reply.status, name).toBe(201);
      created[name] = reply.json;
    }

    await dynamo!.stop();
    for (const { name, call } of calls) {
      for (const [method, path, body] of [
        ['GET', `/v1/tasks/${created[name]!.id}`],
        ['GET', '/v1/tasks'],
        ['POST', '/v1/tasks', { title: 'during the outage' }],
        ['GET', '/v1/stats'],
      ] as const) {
        const { reply, ms } = await timed(call, method, path, body ? { body } : {});
        expectProblem(reply, 503, 'DEPENDENCY_UNAVAILABLE');
        expect(reply.headers.get('retry-after'), `${name} ${method} ${path}`).toMatch(/^\d+$/);
        expect(ms, `${name} ${method} ${path}`).toBeLessThan(FAIL_FAST_MS);
      }
      const ready = await call('GET', '/readyz');
      expectProblem(ready, 503, 'NOT_READY');
      expect(ready.json.checks.table, name).not.toBe('ok');
      expect((await call('GET', '/healthz')).status, name).toBe(200);
    }

    await startDynamo();
    for (const { name, call } of calls) {
      let status = 0;
      for (const deadline = Date.now() + 30_000; status !== 200 && Date.now() < deadline; ) {
        status = (await call('GET', `/v1/tasks/${created[name]!.id}`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status, `${name} recovered`).toBe(200);
      expect((await call('GET', `/v1/tasks/${created[name]!.id}`)).json, name).toMatchObject(created[name]!);
      expect((await call('POST', '/v1/tasks', { body: { title: 'after the outage' } })).status, name).toBe(201);
      expect((await call('GET', '/readyz')).status, name).toBe(200);
    }
  }, 120_000);
});
