import { expect, it } from 'vitest';
import type { Call } from './client.js';

/** Each test pages through a tenant of its own, so nothing another test created can fill a page. */
export function pagingConformance(newTenant: () => Promise<Call>) {
  const create = async (call: Call, body: Record<string, unknown>, attachments = 0) => {
    const reply = await call('POST', '/v1/tasks', { body: { title: 'paged', ...body } });
    expect(reply.status, reply.text).toBe(201);
    for (let i = 0; i < attachments; i++) {
      const added = await call('POST', `/v1/tasks/${reply.json.id}/attachments`, { body: { filename: `f${i}.txt`, contentType: 'text/plain', size: 1 } });
      expect(added.status, added.text).toBe(201);
    }
    return reply.json.id as string;
  };
  const pages = async (call: Call, query: string) => {
    const seen: { ids: string[]; more: boolean }[] = [];
    let cursor: string | undefined;
    do {
      const reply = await call('GET', `/v1/tasks?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(reply.status, reply.text).toBe(200);
      seen.push({ ids: reply.json.items.map((task: { id: string }) => task.id), more: reply.json.nextCursor !== undefined });
      cursor = reply.json.nextCursor;
    } while (cursor && seen.length < 20);
    return seen;
  };
  const chunks = (ids: string[], size: number) =>
    Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ({ ids: ids.slice(i * size, (i + 1) * size), more: (i + 1) * size < ids.length }));

  it('answers a page of one with the only task even when it has an attachment, and no cursor', async () => {
    const call = await newTenant();
    const id = await create(call, { tags: ['solo'] }, 1);
    for (const query of ['limit=1', 'limit=1&tag=solo', 'limit=1&status=todo', 'limit=1&status=todo&tag=solo']) {
      expect(await pages(call, query), query).toEqual([{ ids: [id], more: false }]);
    }
  });

  it('fills every page but the last, with or without filters, while tasks have attachments', async () => {
    const call = await newTenant();
    const tasks: { id: string; red: boolean; done: boolean }[] = [];
    for (let i = 0; i < 9; i++) {
      const red = i % 3 !== 1;
      const done = i % 2 === 0;
      tasks.push({ id: await create(call, { tags: red ? ['red'] : ['blue'], status: done ? 'done' : 'todo' }, i % 2 ? 2 : 1), red, done });
    }
    // Created one after the other and never changed: newest first by either order.
    const newest = (keep: (task: (typeof tasks)[number]) => boolean) => tasks.filter(keep).map((task) => task.id).reverse();
    expect(await pages(call, 'limit=2')).toEqual(chunks(newest(() => true), 2));
    expect(await pages(call, 'limit=2&tag=red')).toEqual(chunks(newest((task) => task.red), 2));
    expect(await pages(call, 'limit=2&status=done')).toEqual(chunks(newest((task) => task.done), 2));
    expect(await pages(call, 'limit=2&status=done&tag=red')).toEqual(chunks(newest((task) => task.done && task.red), 2));
  });
}
