import { describe, expect, it } from 'vitest';
import { describeConflict, draftOf, mergePatch, parseTags, reapply, shown } from '../../web/src/logic/conflict.js';
import { appendPage, EMPTY, matchesFilters, pageQuery, replaceTask } from '../../web/src/logic/paging.js';
import { problemLines, toProblem } from '../../web/src/logic/problem.js';
import type { Task } from '../../web/src/logic/types.js';

const task = (id: string, patch: Partial<Task> = {}): Task => ({
  id,
  title: `Task ${id}`,
  status: 'todo',
  priority: 'medium',
  tags: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  ...patch,
});

describe('the UI: conflict merge', () => {
  const base = task('a', { title: 'Buy milk', tags: ['home'], description: 'two litres' });

  it('patches only the fields the user changed, and removes an emptied optional field with null', () => {
    const draft = { ...draftOf(base), title: 'Buy oat milk', description: '' };
    expect(mergePatch(draftOf(base), draft)).toEqual({ title: 'Buy oat milk', description: null });
    expect(mergePatch(draftOf(base), draftOf(base))).toEqual({});
  });

  it('explains a lost update field by field and marks where both sides changed differently', () => {
    const mine = { ...draftOf(base), title: 'Buy oat milk', priority: 'high' as const };
    const theirs = task('a', { title: 'Buy soy milk', tags: ['home', 'shop'], description: 'two litres', version: 2 });
    const rows = describeConflict(draftOf(base), mine, theirs);
    expect(rows.map((row) => [row.field, row.clash])).toEqual([
      ['title', true],
      ['priority', false],
      ['tags', false],
    ]);
    expect(rows[0]).toMatchObject({ base: 'Buy milk', mine: 'Buy oat milk', theirs: 'Buy soy milk' });
  });

  it("re-applies the user's changes on top of the server's version, keeping the server's other changes", () => {
    const mine = { ...draftOf(base), title: 'Buy oat milk' };
    const theirs = task('a', { title: 'Buy soy milk', tags: ['home', 'shop'], description: 'two litres', version: 2 });
    const next = reapply(draftOf(base), mine, theirs);
    expect(next).toMatchObject({ title: 'Buy oat milk', tags: ['home', 'shop'] });
    expect(mergePatch(draftOf(theirs), next)).toEqual({ title: 'Buy oat milk' });
  });

  it('does not call equal changes on both sides a clash', () => {
    const mine = { ...draftOf(base), status: 'done' as const };
    const theirs = task('a', { ...base, status: 'done', version: 2 });
    expect(describeConflict(draftOf(base), mine, theirs)).toEqual([{ field: 'status', base: 'todo', mine: 'done', theirs: 'done', clash: false }]);
  });

  it('reads tags as typed and shows empty values plainly', () => {
    expect(parseTags(' Work, urgent  work,,home ')).toEqual(['work', 'urgent', 'home']);
    expect([shown(undefined), shown([]), shown(['a', 'b']), shown('x')]).toEqual(['(none)', '(none)', 'a, b', 'x']);
  });
});

describe('the UI: cursor paging', () => {
  it('asks for the next page with the filters and the cursor', () => {
    expect(pageQuery({ status: 'done', tag: 'home' }, 10, 'abc')).toBe('status=done&tag=home&limit=10&cursor=abc');
    expect(pageQuery({}, 20)).toBe('limit=20');
  });

  it('appends pages, keeps each task once, and stops at the page without a cursor', () => {
    const first = appendPage(EMPTY, { items: [task('3'), task('2')], nextCursor: 'c1' });
    expect(first).toEqual({ items: [task('3'), task('2')], cursor: 'c1', done: false });
    const second = appendPage(first, { items: [task('2'), task('1')] });
    expect(second.items.map((item) => item.id)).toEqual(['3', '2', '1']);
    expect(second.done).toBe(true);
    expect(second.cursor).toBeUndefined();
  });

  it('replaces or removes one task, and tells whether a task fits the filters', () => {
    const list = appendPage(EMPTY, { items: [task('1'), task('2')] });
    expect(replaceTask(list, '1', task('1', { title: 'new' })).items[0]!.title).toBe('new');
    expect(replaceTask(list, '1').items.map((item) => item.id)).toEqual(['2']);
    expect(matchesFilters(task('1', { tags: ['home'] }), { tag: 'home' })).toBe(true);
    expect(matchesFilters(task('1', { status: 'done' }), { status: 'todo' })).toBe(false);
  });
});

describe('the UI: problem display', () => {
  it("shows a problem document's title and detail, and its field errors", () => {
    const problem = toProblem(400, { type: 'urn:duet:problem:VALIDATION_FAILED', title: 'Validation failed', status: 400, detail: 'The body is not valid.', code: 'VALIDATION_FAILED', errors: [{ path: 'title', message: 'Too big' }] });
    expect(problem).toMatchObject({ title: 'Validation failed', detail: 'The body is not valid.', code: 'VALIDATION_FAILED' });
    expect(problemLines(problem)).toEqual(['The body is not valid.', 'title: Too big']);
  });

  it("never shows a blank message: API Gateway's own body, text, an empty body, no connection", () => {
    expect(toProblem(401, { message: 'Unauthorized' }, 'Unauthorized')).toEqual({ title: '401 Unauthorized', detail: 'Unauthorized', status: 401 });
    expect(toProblem(502, '<html>Bad gateway</html>')).toMatchObject({ title: 'Request failed (502)', detail: '<html>Bad gateway</html>' });
    expect(toProblem(500, undefined).detail).toBe('The server answered 500.');
    expect(toProblem(0, undefined)).toMatchObject({ title: 'Network error', detail: expect.stringContaining('could not be reached') });
    expect(toProblem(409, { title: 'Conflict', detail: '' }).detail).toBe('Conflict');
  });
});
