import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { expectProblem, type Call } from './client.js';

const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const MISSING_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
/** Twenty concurrent requests to serverless-offline are twenty cold starts sharing one machine's cores. */
const CONCURRENT_TIMEOUT_MS = 120_000;

export function tasksConformance(call: Call) {
  const create = async (body: Record<string, unknown> = {}) => {
    const reply = await call('POST', '/v1/tasks', { body: { title: 'Write the report', ...body } });
    expect(reply.status, reply.text).toBe(201);
    return reply.json;
  };

  it('creates a task with defaults, Location and ETag', async () => {
    const reply = await call('POST', '/v1/tasks', { body: { title: '  Plan the trip  ', tags: ['travel'] } });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ title: 'Plan the trip', status: 'todo', priority: 'medium', tags: ['travel'], version: 1 });
    expect(reply.json.id).toMatch(ULID_PATTERN);
    expect(reply.json.createdAt).toBe(reply.json.updatedAt);
    expect(reply.headers.get('location')).toBe(`/v1/tasks/${reply.json.id}`);
    expect(reply.headers.get('etag')).toBe('"1"');
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('rejects invalid task fields with 400 naming each field', async () => {
    const reply = await call('POST', '/v1/tasks', {
      body: { title: '', status: 'started', priority: 'urgent', tags: ['Bad Tag'], dueAt: 'tomorrow', description: 'x'.repeat(4001) },
    });
    expectProblem(reply, 400, 'VALIDATION_FAILED');
    const paths = reply.json.errors.map((error: { path: string }) => error.path).sort();
    expect(paths).toEqual(['description', 'dueAt', 'priority', 'status', 'tags.0', 'title']);
  });

  it('rejects unknown fields with 400', async () => {
    const reply = await call('POST', '/v1/tasks', { body: { title: 'x', owner: 'bob' } });
    expectProblem(reply, 400, 'VALIDATION_FAILED');
    expect(reply.json.errors[0].message).toContain('owner');
  });

  it('rejects malformed JSON with 400, other media types with 415 and bodies over 64 KiB with 413', async () => {
    expectProblem(await call('POST', '/v1/tasks', { raw: '{"title":', headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON');
    expectProblem(await call('POST', '/v1/tasks', { raw: '', headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON');
    expectProblem(await call('POST', '/v1/tasks', { raw: '{"title":"x"}', headers: { 'content-type': 'text/plain' } }), 415);
    expectProblem(await call('POST', '/v1/tasks', { raw: '{"title":"x"}' }), 415);
    const huge = JSON.stringify({ title: 'x', description: 'y'.repeat(70 * 1024) });
    expectProblem(await call('POST', '/v1/tasks', { raw: huge, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE');
    expectProblem(await call('POST', '/v1/tasks', { body: [{ title: 'x' }] }), 400, 'VALIDATION_FAILED');
  });

  it('replays a create with the same Idempotency-Key and body', async () => {
    const key = randomUUID();
    const first = await call('POST', '/v1/tasks', { body: { title: 'once' }, headers: { 'idempotency-key': key } });
    const again = await call('POST', '/v1/tasks', { body: { title: 'once' }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
  });

  it('answers 422 when an Idempotency-Key comes back with another body', async () => {
    const key = randomUUID();
    await call('POST', '/v1/tasks', { body: { title: 'once' }, headers: { 'idempotency-key': key } });
    expectProblem(await call('POST', '/v1/tasks', { body: { title: 'twice' }, headers: { 'idempotency-key': key } }), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('rejects an Idempotency-Key that is too long', async () => {
    expectProblem(await call('POST', '/v1/tasks', { body: { title: 'x' }, headers: { 'idempotency-key': 'k'.repeat(256) } }), 400);
  });

  it('creates exactly one task for 20 concurrent POSTs with one Idempotency-Key', async () => {
    const key = randomUUID();
    const tag = `idem-${key.slice(0, 8)}`;
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', '/v1/tasks', { body: { title: 'concurrent', tags: [tag] }, headers: { 'idempotency-key': key } })),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((reply) => reply.json.id)).size).toBe(1);
    expect(replies.filter((reply) => reply.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect((await call('GET', `/v1/tasks?tag=${tag}&limit=100`)).json.items).toHaveLength(1);
  }, CONCURRENT_TIMEOUT_MS);

  it('reads a task with its ETag, and answers 304 to a matching If-None-Match', async () => {
    const task = await create();
    const reply = await call('GET', `/v1/tasks/${task.id}`);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(task);
    expect(reply.headers.get('etag')).toBe('"1"');
    const cached = await call('GET', `/v1/tasks/${task.id}`, { headers: { 'if-none-match': '"1"' } });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
  });

  it('answers 404 for unknown and malformed task ids', async () => {
    expectProblem(await call('GET', `/v1/tasks/${MISSING_ID}`), 404, 'TASK_NOT_FOUND');
    expectProblem(await call('GET', '/v1/tasks/not-a-ulid'), 404, 'TASK_NOT_FOUND');
    expectProblem(await call('PATCH', `/v1/tasks/${MISSING_ID}`, { body: { title: 'x' } }), 404);
    expectProblem(await call('DELETE', `/v1/tasks/${MISSING_ID}`), 404);
  });

  it('lists tasks newest first and pages through them with the cursor', async () => {
    const tag = `page-${randomUUID().slice(0, 8)}`;
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await create({ title: `t${i}`, tags: [tag] })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const reply = await call('GET', `/v1/tasks?tag=${tag}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(reply.status).toBe(200);
      seen.push(...reply.json.items.map((task: { id: string }) => task.id));
      cursor = reply.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids.reverse());
  });

  it('filters the list by status', async () => {
    const tag = `status-${randomUUID().slice(0, 8)}`;
    const done = await create({ status: 'done', tags: [tag] });
    await create({ tags: [tag] });
    const reply = await call('GET', `/v1/tasks?status=done&tag=${tag}`);
    expect(reply.json.items.map((task: { id: string }) => task.id)).toEqual([done.id]);
  });

  it('rejects bad list parameters with 400', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'status=open', 'tag=Not_Valid', 'cursor=garbage', 'sort=asc', 'status=done&status=todo']) {
      expectProblem(await call('GET', `/v1/tasks?${query}`), 400, 'VALIDATION_FAILED');
    }
  });

  it('applies a JSON merge patch, bumping version and ETag, and null removes a field', async () => {
    const task = await create({ description: 'draft', tags: ['a'] });
    const reply = await call('PATCH', `/v1/tasks/${task.id}`, {
      body: { status: 'in_progress', description: null, tags: ['b', 'c'] },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ id: task.id, title: task.title, status: 'in_progress', tags: ['b', 'c'], version: 2 });
    expect(reply.json).not.toHaveProperty('description');
    expect(reply.headers.get('etag')).toBe('"2"');
    expect((await call('GET', `/v1/tasks/${task.id}`)).json).toEqual(reply.json);
  });

  it('honours If-Match on PATCH: 200 when it matches, 412 when it does not', async () => {
    const task = await create();
    expectProblem(await call('PATCH', `/v1/tasks/${task.id}`, { body: { title: 'x' }, headers: { 'if-match': '"7"' } }), 412, 'PRECONDITION_FAILED');
    expect((await call('PATCH', `/v1/tasks/${task.id}`, { body: { title: 'y' }, headers: { 'if-match': '"1"' } })).status).toBe(200);
    expect((await call('GET', `/v1/tasks/${task.id}`)).json.title).toBe('y');
  });

  it('rejects a patch that would break the task, and leaves the task unchanged', async () => {
    const task = await create();
    expectProblem(await call('PATCH', `/v1/tasks/${task.id}`, { body: { title: null } }), 400, 'VALIDATION_FAILED');
    expectProblem(await call('PATCH', `/v1/tasks/${task.id}`, { body: { id: 'other' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await call('PATCH', `/v1/tasks/${task.id}`, { body: { version: 9 } }), 400, 'VALIDATION_FAILED');
    expectProblem(await call('PATCH', `/v1/tasks/${task.id}`, { raw: 'title=x', headers: { 'content-type': 'text/plain' } }), 415);
    expect((await call('GET', `/v1/tasks/${task.id}`)).json).toEqual(task);
  });

  it('lets exactly one of 20 concurrent PATCHes with the same If-Match win; the rest get 412', async () => {
    const task = await create();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call('PATCH', `/v1/tasks/${task.id}`, { body: { title: `writer ${i}` }, headers: { 'if-match': '"1"' } })),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(412)]);
    const winner = replies.find((reply) => reply.status === 200)!;
    expect((await call('GET', `/v1/tasks/${task.id}`)).json).toEqual(winner.json);
  }, CONCURRENT_TIMEOUT_MS);

  it('deletes a task with 204, after which it is gone', async () => {
    const task = await create();
    const reply = await call('DELETE', `/v1/tasks/${task.id}`);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expectProblem(await call('GET', `/v1/tasks/${task.id}`), 404);
    expectProblem(await call('DELETE', `/v1/tasks/${task.id}`), 404);
  });

  it('honours If-Match on DELETE', async () => {
    const task = await create();
    expectProblem(await call('DELETE', `/v1/tasks/${task.id}`, { headers: { 'if-match': '"2"' } }), 412);
    expect((await call('DELETE', `/v1/tasks/${task.id}`, { headers: { 'if-match': '"1"' } })).status).toBe(204);
  });

  it('counts tasks by status in /v1/stats', async () => {
    const before = (await call('GET', '/v1/stats')).json;
    const task = await create();
    await create({ status: 'done' });
    await call('PATCH', `/v1/tasks/${task.id}`, { body: { status: 'in_progress' } });
    const after = await call('GET', '/v1/stats');
    expect(after.status).toBe(200);
    expect(after.json.byStatus).toEqual({
      todo: before.byStatus.todo,
      in_progress: before.byStatus.in_progress + 1,
      done: before.byStatus.done + 1,
    });
    expect(after.json.total).toBe(before.total + 2);
  });
}
