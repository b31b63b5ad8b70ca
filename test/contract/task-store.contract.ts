import { beforeEach, describe, expect, it } from 'vitest';
import {
  AttachmentLimitError,
  AttachmentNotFoundError,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
  TaskNotFoundError,
  ValidationError,
} from '../../core/domain/errors.js';
import { applyPatch } from '../../core/domain/task.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Task } from '../../core/domain/task.js';
import type { ListQuery, TaskStore } from '../../core/ports/task-store.js';
import { makeAttachment, makeClock, makeTask } from '../support/fixtures.js';

export interface StoreOptions {
  /** How many tasks one list call may read looking for tag matches (the store's default otherwise). */
  listReadBudget?: number;
}

/** The behaviour every TaskStore adapter must have; run against memory and DynamoDB Local. */
export function describeTaskStoreContract(name: string, makeStore: (clock: Clock, options?: StoreOptions) => Promise<TaskStore>) {
  describe(`TaskStore contract: ${name}`, () => {
    let store: TaskStore;
    let clock: ReturnType<typeof makeClock>;
    let tenant: string;

    beforeEach(async () => {
      clock = makeClock();
      store = await makeStore(clock);
      tenant = `tenant-${Math.random().toString(36).slice(2)}`;
    });

    /** Every page of a query, following nextCursor until it is absent. */
    const allPages = async (query: Omit<ListQuery, 'cursor'>, on = store) => {
      const pages: { ids: string[]; nextCursor?: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await on.listTasks(tenant, { ...query, ...(cursor && { cursor }) });
        pages.push({ ids: page.items.map((task) => task.id), ...(page.nextCursor && { nextCursor: page.nextCursor }) });
        cursor = page.nextCursor;
      } while (cursor && pages.length < 50);
      return pages;
    };
    const idsOf = (tasks: Task[]) => tasks.map((task) => task.id);
    const newestFirst = (tasks: Task[]) => idsOf(tasks).reverse();
    const chunks = (ids: string[], size: number) => Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ids.slice(i * size, (i + 1) * size));

    const claim = (key: string, fingerprint = 'f1') => ({ key, fingerprint, expiresAt: new Date(clock.now().getTime() + 86_400_000) });

    it('reads back a created task unchanged', async () => {
      const task = makeTask({ description: 'with details', dueAt: '2026-02-01T10:00:00+02:00', tags: ['a', 'b'] });
      await store.createTask(tenant, task);
      expect(await store.getTask(tenant, task.id)).toEqual(task);
    });

    it('answers undefined for a task that does not exist', async () => {
      expect(await store.getTask(tenant, makeTask().id)).toBeUndefined();
    });

    it('never shows one tenant the tasks of another', async () => {
      const task = makeTask();
      await store.createTask(tenant, task);
      expect(await store.getTask(`${tenant}-other`, task.id)).toBeUndefined();
      expect((await store.listTasks(`${tenant}-other`, { limit: 10 })).items).toEqual([]);
      await expect(store.deleteTask(`${tenant}-other`, task.id)).rejects.toBeInstanceOf(TaskNotFoundError);
    });

    it('replays the first task for a repeated idempotency key with the same fingerprint', async () => {
      const first = makeTask({ title: 'first' });
      await store.createTask(tenant, first, claim('key-1'));
      const outcome = await store.createTask(tenant, makeTask({ title: 'second' }), claim('key-1'));
      expect(outcome).toEqual({ replayed: true, task: first });
      expect((await store.listTasks(tenant, { limit: 10 })).items).toEqual([first]);
    });

    it('refuses an idempotency key reused with another fingerprint', async () => {
      await store.createTask(tenant, makeTask(), claim('key-1', 'f1'));
      await expect(store.createTask(tenant, makeTask(), claim('key-1', 'f2'))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    });

    it('treats an expired idempotency key as new', async () => {
      await store.createTask(tenant, makeTask(), claim('key-1'));
      clock.advance(86_400_000 + 1000);
      const outcome = await store.createTask(tenant, makeTask(), claim('key-1'));
      expect(outcome.replayed).toBe(false);
      expect((await store.listTasks(tenant, { limit: 10 })).items).toHaveLength(2);
    });

    it('creates exactly one task for 20 concurrent creates with one idempotency key', async () => {
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.createTask(tenant, makeTask(), claim('same'))));
      expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
      expect(new Set(outcomes.map((outcome) => outcome.task.id)).size).toBe(1);
      expect((await store.listTasks(tenant, { limit: 100 })).items).toHaveLength(1);
      expect((await store.getStats(tenant)).total).toBe(1);
    });

    it('lists every task exactly once across pages, newest first', async () => {
      const tasks = [];
      for (let i = 0; i < 7; i++) tasks.push(makeTask({ title: `task ${i}` }));
      for (const task of tasks) await store.createTask(tenant, task);
      const pages = await allPages({ limit: 3 });
      expect(pages.map((page) => page.ids)).toEqual(chunks(newestFirst(tasks), 3));
      expect(pages.map((page) => page.nextCursor !== undefined)).toEqual([true, true, false]);
    });

    it('fills a page of one with the only task even when it has an attachment, and sets no cursor', async () => {
      const task = makeTask();
      await store.createTask(tenant, task);
      await store.addAttachment(tenant, makeAttachment(task.id), 5);
      expect(await store.listTasks(tenant, { limit: 1 })).toEqual({ items: [task] });
    });

    it('fills every page but the last while tasks have attachments', async () => {
      const tasks = Array.from({ length: 7 }, (_, i) => makeTask({ title: `task ${i}`, tags: ['red'] }));
      for (const task of tasks) {
        await store.createTask(tenant, task);
        for (let n = 0; n < 3; n++) await store.addAttachment(tenant, makeAttachment(task.id), 5);
      }
      for (const limit of [1, 2, 3, 7]) {
        const pages = await allPages({ limit });
        expect(pages.map((page) => page.ids)).toEqual(chunks(newestFirst(tasks), limit));
        expect(pages.at(-1)!.nextCursor).toBeUndefined();
      }
      expect((await allPages({ limit: 3, tag: 'red' })).map((page) => page.ids)).toEqual(chunks(newestFirst(tasks), 3));
    });

    it('fills every page but the last under a tag filter, however sparse the matches', async () => {
      const tasks = Array.from({ length: 30 }, (_, i) => makeTask({ title: `task ${i}`, tags: i % 7 === 3 ? ['red', 'x'] : ['blue'] }));
      for (const task of tasks) await store.createTask(tenant, task);
      await store.addAttachment(tenant, makeAttachment(tasks[3]!.id), 5);
      const red = newestFirst(tasks.filter((task) => task.tags.includes('red')));
      for (const limit of [1, 2, 4, 5]) {
        const pages = await allPages({ tag: 'red', limit });
        expect(pages.map((page) => page.ids)).toEqual(chunks(red, limit));
        expect(pages.at(-1)!.nextCursor).toBeUndefined();
      }
      expect(await store.listTasks(tenant, { tag: 'green', limit: 10 })).toEqual({ items: [] });
    });

    it('fills every page but the last under a status and tag filter, most recently updated first', async () => {
      const tasks = Array.from({ length: 20 }, (_, i) =>
        makeTask({
          status: i % 2 ? 'done' : 'todo',
          tags: i % 3 ? ['red'] : ['blue'],
          updatedAt: `2026-01-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`,
        }),
      );
      for (const task of tasks) {
        await store.createTask(tenant, task);
        await store.addAttachment(tenant, makeAttachment(task.id), 5);
      }
      const doneRed = newestFirst(tasks.filter((task) => task.status === 'done' && task.tags.includes('red')));
      const pages = await allPages({ status: 'done', tag: 'red', limit: 2 });
      expect(pages.map((page) => page.ids)).toEqual(chunks(doneRed, 2));
      expect(pages.at(-1)!.nextCursor).toBeUndefined();
      const done = newestFirst(tasks.filter((task) => task.status === 'done'));
      expect((await allPages({ status: 'done', limit: 4 })).map((page) => page.ids)).toEqual(chunks(done, 4));
    });

    it('ends a tag-filtered page early, with a cursor after the last task read, only when it has read its budget of tasks', async () => {
      // Newest first the matches are at positions 0, 7, 8 and 11 of 12; a budget of 5 tasks per call.
      const tasks = Array.from({ length: 12 }, (_, i) => makeTask({ tags: [0, 7, 8, 11].includes(11 - i) ? ['red'] : [] }));
      const budgeted = await makeStore(clock, { listReadBudget: 5 });
      for (const task of tasks) await budgeted.createTask(tenant, task);
      const [t0, , , , , , , t7, t8, , , t11] = newestFirst(tasks);
      const pages = await allPages({ tag: 'red', limit: 2 }, budgeted);
      expect(pages.map((page) => page.ids)).toEqual([[t0], [t7, t8], [t11]]);
      expect(pages.map((page) => page.nextCursor !== undefined)).toEqual([true, true, false]);
      // The budget never shortens a page without a tag.
      expect((await allPages({ limit: 4 }, budgeted)).map((page) => page.ids)).toEqual(chunks(newestFirst(tasks), 4));
    });

    it('filters by status, most recently updated first, and by tag', async () => {
      const a = makeTask({ status: 'done', tags: ['red'], updatedAt: '2026-01-02T00:00:00.000Z' });
      const b = makeTask({ status: 'done', tags: ['blue'], updatedAt: '2026-01-03T00:00:00.000Z' });
      const c = makeTask({ status: 'todo', tags: ['red'] });
      for (const task of [a, b, c]) await store.createTask(tenant, task);
      expect((await store.listTasks(tenant, { status: 'done', limit: 10 })).items).toEqual([b, a]);
      const red = (await store.listTasks(tenant, { tag: 'red', limit: 10 })).items;
      expect(red.map((task) => task.id).sort()).toEqual([a.id, c.id].sort());
      expect((await store.listTasks(tenant, { status: 'done', tag: 'red', limit: 10 })).items).toEqual([a]);
    });

    it('pages through a status filter with cursors', async () => {
      const tasks = Array.from({ length: 5 }, (_, i) => makeTask({ status: 'in_progress', updatedAt: `2026-01-0${i + 1}T00:00:00.000Z` }));
      for (const task of tasks) await store.createTask(tenant, task);
      const first = await store.listTasks(tenant, { status: 'in_progress', limit: 2 });
      const second = await store.listTasks(tenant, { status: 'in_progress', limit: 10, cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((task) => task.id)).toEqual(tasks.map((task) => task.id).reverse());
    });

    it('rejects a garbage cursor and a cursor from another query', async () => {
      for (let i = 0; i < 3; i++) await store.createTask(tenant, makeTask({ status: 'done' }));
      const page = await store.listTasks(tenant, { status: 'done', limit: 1 });
      await expect(store.listTasks(tenant, { limit: 1, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(ValidationError);
      await expect(store.listTasks(tenant, { status: 'todo', limit: 1, cursor: page.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
    });

    it('updates a task conditionally on its version and removes cleared fields', async () => {
      const task = makeTask({ description: 'old', dueAt: '2026-03-01T00:00:00Z' });
      await store.createTask(tenant, task);
      const next = applyPatch(task, { title: 'new', description: null, dueAt: null }, clock.now());
      await store.updateTask(tenant, next, task);
      expect(await store.getTask(tenant, task.id)).toEqual(next);
      expect(next).not.toHaveProperty('description');
      await expect(store.updateTask(tenant, applyPatch(task, { title: 'stale' }, clock.now()), task)).rejects.toBeInstanceOf(
        PreconditionFailedError,
      );
    });

    it('answers TaskNotFoundError when updating a task that is gone', async () => {
      const task = makeTask();
      await expect(store.updateTask(tenant, applyPatch(task, { title: 'x' }, clock.now()), task)).rejects.toBeInstanceOf(TaskNotFoundError);
    });

    it('lets exactly one of 20 concurrent updates from the same version win', async () => {
      const task = makeTask();
      await store.createTask(tenant, task);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.updateTask(tenant, applyPatch(task, { title: `t${i}`, status: 'done' }, clock.now()), task)),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const reasons = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
      expect(reasons.every((reason) => reason instanceof PreconditionFailedError)).toBe(true);
      expect(await store.getStats(tenant)).toEqual({ total: 1, byStatus: { todo: 0, in_progress: 0, done: 1 } });
    });

    it('keeps the per-status counters in step with creates, status changes and deletes', async () => {
      const a = makeTask();
      const b = makeTask({ status: 'in_progress' });
      await store.createTask(tenant, a);
      await store.createTask(tenant, b);
      await store.updateTask(tenant, applyPatch(a, { status: 'done' }, clock.now()), a);
      await store.deleteTask(tenant, b.id);
      expect(await store.getStats(tenant)).toEqual({ total: 1, byStatus: { todo: 0, in_progress: 0, done: 1 } });
    });

    it('sums the counters of 48 tasks written concurrently, whatever shard each lands on', async () => {
      const tasks = Array.from({ length: 48 }, (_, i) => makeTask({ status: (['todo', 'in_progress', 'done'] as const)[i % 3] }));
      await Promise.all(tasks.map((task) => store.createTask(tenant, task)));
      await Promise.all(tasks.slice(0, 12).map((task) => store.updateTask(tenant, applyPatch(task, { status: 'done' }, clock.now()), task)));
      await Promise.all(tasks.slice(40).map((task) => store.deleteTask(tenant, task.id)));
      const kept = [...tasks.slice(0, 12).map((task) => ({ ...task, status: 'done' })), ...tasks.slice(12, 40)];
      const count = (status: string) => kept.filter((task) => task.status === status).length;
      expect(await store.getStats(tenant)).toEqual({ total: 40, byStatus: { todo: count('todo'), in_progress: count('in_progress'), done: count('done') } });
    });

    it('deletes a task with its attachment records and returns them', async () => {
      const task = makeTask();
      await store.createTask(tenant, task);
      const attachment = makeAttachment(task.id);
      await store.addAttachment(tenant, attachment, 5);
      expect(await store.deleteTask(tenant, task.id)).toEqual({ task, attachments: [attachment] });
      expect(await store.getTask(tenant, task.id)).toBeUndefined();
      expect(await store.listAttachments(tenant, task.id)).toBeUndefined();
    });

    it('refuses a delete whose precondition does not accept the version', async () => {
      const task = makeTask({ version: 3 });
      await store.createTask(tenant, task);
      await expect(store.deleteTask(tenant, task.id, (version) => version === 2)).rejects.toBeInstanceOf(PreconditionFailedError);
      await expect(store.deleteTask(tenant, task.id, (version) => version === 3)).resolves.toMatchObject({ task });
      await expect(store.deleteTask(tenant, task.id)).rejects.toBeInstanceOf(TaskNotFoundError);
    });

    it('records, lists and deletes attachments of a task', async () => {
      const task = makeTask();
      await store.createTask(tenant, task);
      const first = makeAttachment(task.id, { filename: 'a.txt' });
      const second = makeAttachment(task.id, { filename: 'b.png', contentType: 'image/png' });
      expect(await store.listAttachments(tenant, task.id)).toEqual([]);
      await store.addAttachment(tenant, first, 5);
      await store.addAttachment(tenant, second, 5);
      expect(await store.listAttachments(tenant, task.id)).toEqual([first, second]);
      await store.deleteAttachment(tenant, task.id, first.id);
      expect(await store.listAttachments(tenant, task.id)).toEqual([second]);
      await expect(store.deleteAttachment(tenant, task.id, first.id)).rejects.toBeInstanceOf(AttachmentNotFoundError);
      await store.deleteAttachment(tenant, task.id, second.id);
      expect(await store.listAttachments(tenant, task.id)).toEqual([]);
    });

    it("keeps each task's attachments apart from its neighbours' and deletes only its own", async () => {
      const [a, b, c] = [makeTask(), makeTask(), makeTask()];
      for (const task of [a, b, c]) await store.createTask(tenant, task);
      const own = (taskId: string) => Array.from({ length: 3 }, () => makeAttachment(taskId));
      const [ofA, ofB, ofC] = [own(a.id), own(b.id), own(c.id)];
      for (const attachment of [...ofA, ...ofB, ...ofC]) await store.addAttachment(tenant, attachment, 5);
      expect(await store.deleteTask(tenant, b.id)).toEqual({ task: b, attachments: ofB });
      expect(await store.listAttachments(tenant, a.id)).toEqual(ofA);
      expect(await store.listAttachments(tenant, c.id)).toEqual(ofC);
      expect(await store.listAttachments(tenant, b.id)).toBeUndefined();
      expect(await store.deleteTask(tenant, a.id)).toEqual({ task: a, attachments: ofA });
      expect((await store.listTasks(tenant, { limit: 10 })).items).toEqual([c]);
    });

    it('refuses attachments for a missing task and beyond the limit', async () => {
      const task = makeTask();
      await expect(store.addAttachment(tenant, makeAttachment(task.id), 2)).rejects.toBeInstanceOf(TaskNotFoundError);
      await store.createTask(tenant, task);
      await store.addAttachment(tenant, makeAttachment(task.id), 2);
      await store.addAttachment(tenant, makeAttachment(task.id), 2);
      await expect(store.addAttachment(tenant, makeAttachment(task.id), 2)).rejects.toBeInstanceOf(AttachmentLimitError);
      expect(await store.listAttachments(tenant, task.id)).toHaveLength(2);
    });

    it('keeps a task update from erasing its attachment count', async () => {
      const task = makeTask();
      await store.createTask(tenant, task);
      await store.addAttachment(tenant, makeAttachment(task.id), 1);
      await store.updateTask(tenant, applyPatch(task, { title: 'renamed' }, clock.now()), task);
      await expect(store.addAttachment(tenant, makeAttachment(task.id), 1)).rejects.toBeInstanceOf(AttachmentLimitError);
    });

    it('reports itself ready', async () => {
      await expect(store.checkReady()).resolves.toBeUndefined();
    });
  });
}
