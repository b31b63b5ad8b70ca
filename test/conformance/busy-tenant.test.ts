import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../../container/main.js';
import type { RunningServer } from '../../container/server.js';
import { devIssuer } from '../support/auth.js';
import { freshStack } from '../support/stack.js';
import { injectTransactionConflicts } from '../support/transaction-conflicts.js';
import { client, type Reply } from './client.js';

const WRITERS = 50;
const stack = await freshStack();
let running: RunningServer;
let conflicts: ReturnType<typeof injectTransactionConflicts>['injected'];

beforeAll(async () => {
  running = await runContainer(
    { HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent', ...stack.env },
    {
      configureDynamo: (dynamo) => {
        conflicts = injectTransactionConflicts(dynamo).injected;
      },
    },
  );
});
afterAll(async () => {
  await running?.shutdown();
  stack.close();
});

const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };

describe('a burst of concurrent writers on one tenant, with DynamoDB transaction conflicts modelled', () => {
  it('refuses only with 409 or 503 and Retry-After, rarely on its own tasks, and keeps the stats equal to the tasks', async () => {
    const token = await devIssuer().token('busy-tenant');
    const call = client(() => running.url, () => token);
    const shared = await call('POST', '/v1/tasks', { body: { title: 'touched by everyone' } });
    expect(shared.status).toBe(201);
    const replies: (Reply & { own: boolean })[] = []; // own: on the writer's own task, so it meets others only on the counters
    const record = (reply: Reply, own = true) => {
      replies.push({ ...reply, own });
      return reply;
    };
    // Each writer creates a task (half with an Idempotency-Key), moves it through the statuses
    // (transactions on the counters) and every fifth deletes it; between, it sets the status of the
    // shared task (a transaction) and renames it (a plain UpdateItem that may meet one in flight).
    const writer = async (n: number) => {
      const headers = n % 2 ? { 'idempotency-key': `burst-${n}` } : undefined;
      const created = record(await call('POST', '/v1/tasks', { body: { title: `task ${n}`, tags: ['burst'] }, ...(headers && { headers }) }));
      record(await call('PATCH', `/v1/tasks/${shared.json.id}`, { raw: JSON.stringify({ status: ['todo', 'in_progress', 'done'][n % 3] }), headers: MERGE_PATCH }), false);
      if (created.status !== 201) return;
      const path = `/v1/tasks/${created.json.id}`;
      for (const status of ['in_progress', 'done']) record(await call('PATCH', path, { raw: JSON.stringify({ status }), headers: MERGE_PATCH }));
      record(await call('PATCH', `/v1/tasks/${shared.json.id}`, { raw: JSON.stringify({ title: `renamed by ${n}` }), headers: MERGE_PATCH }), false);
      if (n % 5 === 0) record(await call('DELETE', path));
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n)));

    expect(conflicts.transactions, 'the burst met no conflicting transaction, so it tested nothing').toBeGreaterThan(0);
    const refused = replies.filter((reply) => reply.status >= 300);
    for (const reply of refused) {
      expect([409, 503], reply.text).toContain(reply.status);
      expect(reply.headers.get('retry-after'), reply.text).toMatch(/^\d+$/);
    }

    // With one counter item per tenant about half of these were refused; over 16 shards, a few in a hundred.
    const own = replies.filter((reply) => reply.own);
    expect(own.filter((reply) => reply.status >= 300).length, 'writes to their own tasks hit a wall on the counters').toBeLessThan(own.length / 4);

    const listed: { status: 'todo' | 'in_progress' | 'done' }[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      listed.push(...page.json.items);
      cursor = page.json.nextCursor;
    } while (cursor);
    const byStatus = { todo: 0, in_progress: 0, done: 0 };
    for (const task of listed) byStatus[task.status] += 1;
    const stats = await call('GET', '/v1/stats');
    expect(stats.json).toEqual({ total: listed.length, byStatus });
  });
});
