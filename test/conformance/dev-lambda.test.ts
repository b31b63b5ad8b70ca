import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_TABLE } from '../../scripts/local-stack.js';
import { root, runNpmScript, stopGroup, untilBanner, type RunningScript } from '../support/npm-script.js';

const dataDir = mkdtempSync(join(tmpdir(), 'duet-dev-lambda-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const started: RunningScript[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map(stopGroup));
});

/** What the script printed since `from` (both streams), as lines. */
function linesSince(run: RunningScript, from: { stdout: number; stderr: number }): string[] {
  const text = run.stdout().slice(from.stdout) + run.stderr().slice(from.stderr);
  return text.split('\n').slice(0, -1);
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

describe('npm run dev:lambda', () => {
  it('prints one line per request after its banner, and a failing request\'s error with its cause', async () => {
    // Prepare
    const port = await freePort();
    const run = runNpmScript('dev:lambda', { PORT: String(port), DUET_DATA_DIR: dataDir });
    started.push(run);
    const banner = await untilBanner(run, (_, stderr) => stderr.includes('Ctrl-C'), 240_000);
    expect(banner).toContain(`duet is listening on http://127.0.0.1:${port} (the Lambda target under serverless-offline, one function per route group)`);
    expect(banner).toContain(`TOKEN=$(DUET_DATA_DIR=${dataDir} npm run -s token -- --sub alice)`);
    const token = spawnSync('sh', ['-c', /TOKEN=\$\((.+)\)\n/.exec(banner)![1]!], { cwd: root, encoding: 'utf8' }).stdout.trim();
    const url = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${token}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const mark = { stdout: run.stdout().length, stderr: run.stderr().length };

    // Act: a fixed set of requests over every function, one after the other
    const statuses: number[] = [];
    const send = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${url}${path}`, init);
      statuses.push(response.status);
      return response;
    };
    await send('/healthz');
    await send('/v1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":"hi"}' });
    await send('/nope');
    const created = (await (await send('/v1/tasks', { method: 'POST', headers: json, body: '{"title":"Quiet logs"}' })).json()) as { id: string };
    await send(`/v1/tasks/${created.id}`, { headers: auth });
    await send('/v1/tasks', { headers: auth });
    await send('/v1/stats', { headers: auth });
    await send('/v1/tasks', { method: 'POST', headers: json, body: '{"title":' });
    await until(() => linesSince(run, mark).filter((line) => line.includes('"msg":"request"')).length >= statuses.length);
    await sleep(500);
    const printed = linesSince(run, mark);

    // Assess
    expect(statuses).toEqual([200, 200, 404, 201, 200, 200, 200, 400]);
    expect(printed.filter((line) => line.includes('"msg":"request"'))).toHaveLength(statuses.length);
    expect(printed.length, printed.join('\n')).toBeLessThanOrEqual(2 * statuses.length);

    // Act: the table disappears under the running functions
    const endpoint = /DynamoDB Local (http:\S+),/.exec(banner)![1]!;
    const dynamo = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await dynamo.send(new DeleteTableCommand({ TableName: LOCAL_TABLE }));
    dynamo.destroy();
    const failedAt = { stdout: run.stdout().length, stderr: run.stderr().length };
    const failed = await fetch(`${url}/v1/stats`, { headers: auth });
    await until(() => linesSince(run, failedAt).some((line) => line.includes('"msg":"request"')));
    await sleep(500);
    const failure = linesSince(run, failedAt);

    // Assess
    expect(failed.status).toBe(500);
    expect(failure.length, failure.join('\n')).toBeLessThanOrEqual(3);
    const error = failure.find((line) => line.includes('"level":"error"'));
    expect(error, failure.join('\n')).toContain('"msg":"unhandled error"');
    expect(error).toContain('non-existent table');
  }, 360_000);

  it('names another port when its port is taken, and exits 1 without a stack trace', async () => {
    // Prepare
    const port = await freePort();
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));

    try {
      // Act
      const run = runNpmScript('dev:lambda', { PORT: String(port), DUET_DATA_DIR: dataDir }, ['--lambdalith']);
      started.push(run);
      const code = await run.exit;

      // Assess
      expect(code).toBe(1);
      expect(run.stderr()).toContain(`Pick another port: PORT=${port + 1} npm run dev:lambda -- --lambdalith`);
      expect(run.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  }, 60_000);
});
