import { describe, expect, it } from 'vitest';
import { applyPatch, CreateTaskInput, newTask, Task, TaskPatch } from '../../core/domain/task.js';
import { makeTask, nextId } from '../support/fixtures.js';

const NOW = new Date('2026-02-03T04:05:06.789Z');
const tags = (count: number) => Array.from({ length: count }, (_, i) => `tag-${i}`);

describe('newTask', () => {
  it('fills status todo, priority medium and no tags when the input omits them', () => {
    // Prepare
    const input = CreateTaskInput.parse({ title: 'Write the report' });

    // Act
    const task = newTask(input, nextId(), NOW);

    // Assess
    expect(task).toMatchObject({ status: 'todo', priority: 'medium', tags: [] });
  });

  it('starts at version 1 with createdAt and updatedAt both set to now', () => {
    // Prepare
    const id = nextId();

    // Act
    const task = newTask(CreateTaskInput.parse({ title: 'Write the report' }), id, NOW);

    // Assess
    expect(task).toMatchObject({ id, version: 1, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() });
  });

  it('trims the title', () => {
    // Prepare
    const input = CreateTaskInput.parse({ title: '   Write the report \t ' });

    // Act
    const task = newTask(input, nextId(), NOW);

    // Assess
    expect(task.title).toBe('Write the report');
  });

  it('throws when the id is not a ULID', () => {
    // Prepare
    const input = CreateTaskInput.parse({ title: 'Write the report' });

    // Act
    const create = () => newTask(input, 'not-a-ulid', NOW);

    // Assess
    expect(create).toThrow();
  });
});

describe('applyPatch', () => {
  it('removes the description when the patch sets it to null', () => {
    // Prepare
    const task = makeTask({ description: 'Some details' });

    // Act
    const patched = applyPatch(task, { description: null }, NOW);

    // Assess
    expect(patched).not.toHaveProperty('description');
  });

  it('removes dueAt when the patch sets it to null', () => {
    // Prepare
    const task = makeTask({ dueAt: '2026-03-01T00:00:00.000Z' });

    // Act
    const patched = applyPatch(task, { dueAt: null }, NOW);

    // Assess
    expect(patched).not.toHaveProperty('dueAt');
  });

  it('leaves fields the patch does not mention unchanged', () => {
    // Prepare
    const task = makeTask({ description: 'Keep me', tags: ['a'] });

    // Act
    const patched = applyPatch(task, { status: 'done' }, NOW);

    // Assess
    expect(patched).toMatchObject({ status: 'done', description: 'Keep me', tags: ['a'], title: task.title, createdAt: task.createdAt });
  });

  it('increments the version by one', () => {
    // Prepare
    const task = makeTask({ version: 7 });

    // Act
    const patched = applyPatch(task, { priority: 'high' }, NOW);

    // Assess
    expect(patched.version).toBe(8);
  });

  it('sets updatedAt to now', () => {
    // Prepare
    const task = makeTask();

    // Act
    const patched = applyPatch(task, { priority: 'high' }, NOW);

    // Assess
    expect(patched.updatedAt).toBe(NOW.toISOString());
  });

  it('trims a patched title', () => {
    // Prepare
    const task = makeTask();

    // Act
    const patched = applyPatch(task, { title: '  New title  ' }, NOW);

    // Assess
    expect(patched.title).toBe('New title');
  });

  it('throws when the result would not be a valid task', () => {
    // Prepare
    const task = makeTask();

    // Act
    const patch = () => applyPatch(task, { tags: tags(11) }, NOW);

    // Assess
    expect(patch).toThrow();
  });

  it('throws when a required field would be removed', () => {
    // Prepare
    const task = makeTask();
    const patch = { title: null } as unknown as TaskPatch;

    // Act
    const apply = () => applyPatch(task, patch, NOW);

    // Assess
    expect(apply).toThrow();
  });

  it('does not modify the task it was given', () => {
    // Prepare
    const task = makeTask({ description: 'Original' });
    const before = structuredClone(task);

    // Act
    applyPatch(task, { description: null, title: 'Changed' }, NOW);

    // Assess
    expect(task).toEqual(before);
  });
});

describe('CreateTaskInput', () => {
  it('rejects unknown fields', () => {
    // Prepare
    const input = { title: 'Write the report', owner: 'someone' };

    // Act
    const result = CreateTaskInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts a title of 200 characters surrounded by whitespace', () => {
    // Prepare
    const title = `  ${'a'.repeat(200)}  `;

    // Act
    const result = CreateTaskInput.safeParse({ title });

    // Assess
    expect(result.data?.title).toBe('a'.repeat(200));
  });

  it('rejects a title of 201 characters', () => {
    // Prepare
    const title = 'a'.repeat(201);

    // Act
    const result = CreateTaskInput.safeParse({ title });

    // Assess
    expect(result.success).toBe(false);
  });

  it('rejects a title that is only whitespace', () => {
    // Prepare
    const title = ' \t\n ';

    // Act
    const result = CreateTaskInput.safeParse({ title });

    // Assess
    expect(result.success).toBe(false);
  });

  it('rejects a missing title', () => {
    // Prepare
    const input = { status: 'todo' };

    // Act
    const result = CreateTaskInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts a description of 4000 characters', () => {
    // Prepare
    const description = 'd'.repeat(4000);

    // Act
    const result = CreateTaskInput.safeParse({ title: 'x', description });

    // Assess
    expect(result.success).toBe(true);
  });

  it('rejects a description of 4001 characters', () => {
    // Prepare
    const description = 'd'.repeat(4001);

    // Act
    const result = CreateTaskInput.safeParse({ title: 'x', description });

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts ten tags', () => {
    // Prepare
    const input = { title: 'x', tags: tags(10) };

    // Act
    const result = CreateTaskInput.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it('rejects eleven tags', () => {
    // Prepare
    const input = { title: 'x', tags: tags(11) };

    // Act
    const result = CreateTaskInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts a tag of 32 lower-case letters, digits and hyphens', () => {
    // Prepare
    const tag = `a-1${'b'.repeat(29)}`;

    // Act
    const result = CreateTaskInput.safeParse({ title: 'x', tags: [tag] });

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['an empty tag', ''],
    ['a tag of 33 characters', 'a'.repeat(33)],
    ['an upper-case tag', 'Urgent'],
    ['a tag with an underscore', 'to_do'],
    ['a tag with a space', 'to do'],
  ])('rejects %s', (_name, tag) => {
    // Prepare
    const input = { title: 'x', tags: [tag] };

    // Act
    const result = CreateTaskInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('rejects an unknown status', () => {
    // Prepare
    const input = { title: 'x', status: 'blocked' };

    // Act
    const result = CreateTaskInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('rejects a dueAt that is not an ISO date-time', () => {
    // Prepare
    const input = { title: 'x', dueAt: 'next tuesday' };

    // Act
    const result = CreateTaskInput.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts a dueAt with a time-zone offset', () => {
    // Prepare
    const input = { title: 'x', dueAt: '2026-03-01T09:00:00+02:00' };

    // Act
    const result = CreateTaskInput.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });
});

describe('TaskPatch', () => {
  it('rejects unknown fields', () => {
    // Prepare
    const patch = { status: 'done', version: 3 };

    // Act
    const result = TaskPatch.safeParse(patch);

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts null for description and dueAt', () => {
    // Prepare
    const patch = { description: null, dueAt: null };

    // Act
    const result = TaskPatch.safeParse(patch);

    // Assess
    expect(result.data).toEqual({ description: null, dueAt: null });
  });

  it.each(['title', 'status', 'priority', 'tags'])('rejects null for the required field %s', (field) => {
    // Prepare
    const patch = { [field]: null };

    // Act
    const result = TaskPatch.safeParse(patch);

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts an empty patch', () => {
    // Prepare
    const patch = {};

    // Act
    const result = TaskPatch.safeParse(patch);

    // Assess
    expect(result.success).toBe(true);
  });
});

describe('Task', () => {
  it('accepts a task built by the fixture', () => {
    // Prepare
    const task = makeTask();

    // Act
    const result = Task.safeParse(task);

    // Assess
    expect(result.success).toBe(true);
  });

  it('rejects an id whose first character is above 7', () => {
    // Prepare
    const task = makeTask({ id: '8ZZZZZZZZZZZZZZZZZZZZZZZZZ' });

    // Act
    const result = Task.safeParse(task);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('text written before text was checked', () => {
  it('still reads, and still takes a patch of another field', () => {
    // Prepare: a title with a lone surrogate, as the API accepted until text was checked.
    const task = makeTask({ title: 'r\ud800' });

    // Act
    const patched = applyPatch(task, { status: 'done' }, NOW);

    // Assess
    expect(Task.safeParse(task).success).toBe(true);
    expect(patched).toMatchObject({ title: 'r\ud800', status: 'done' });
  });

  it('is refused in what a client sends, naming the field', () => {
    // Act
    const create = CreateTaskInput.safeParse({ title: 'r\ud800', description: 'nul\u0000' });
    const patch = TaskPatch.safeParse({ title: 'tab\tin a title' });

    // Assess
    expect(create.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['title', 'description']);
    expect(patch.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['title']);
  });
});
