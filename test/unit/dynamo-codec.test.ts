import { describe, expect, it } from 'vitest';
import { decodeTask, REMOVABLE_TASK_FIELDS, taskChanges, taskItem } from '../../core/adapters/dynamo-task-codec.js';
import { Task } from '../../core/domain/task.js';
import { makeTask } from '../support/fixtures.js';

describe('the DynamoDB task codec', () => {
  it('treats as removable exactly the fields a valid task may lack', () => {
    // Prepare
    const full = makeTask({ description: 'd', dueAt: '2026-03-01T10:00:00Z' });

    // Act: drop each field in turn and ask the schema whether the task is still valid.
    const mayLack = Object.keys(full).filter((key) => {
      const { [key as keyof Task]: _dropped, ...rest } = full;
      return Task.safeParse(rest).success;
    });

    // Assess
    expect([...REMOVABLE_TASK_FIELDS].sort()).toEqual(mayLack.sort());
    expect(mayLack.length).toBeGreaterThan(0);
  });

  it('REMOVEs the optional fields an updated task no longer has, and never SETs its fixed ones', () => {
    // Prepare
    const { description: _description, dueAt: _dueAt, ...withoutOptional } = makeTask({ description: 'd', dueAt: '2026-03-01T10:00:00Z' });

    // Act
    const { set, remove } = taskChanges('alice', withoutOptional as Task);

    // Assess
    expect(remove.sort()).toEqual([...REMOVABLE_TASK_FIELDS].sort());
    expect(set.map(([key]) => key)).not.toContain('id');
    expect(set.map(([key]) => key)).not.toContain('createdAt');
    expect(set.map(([key]) => key)).toEqual(expect.arrayContaining(['title', 'version', 'gsi1pk', 'gsi1sk']));
  });

  it('reads back a task item as the task it stored', () => {
    const task = makeTask({ description: 'd' });
    expect(decodeTask(taskItem('alice', task, 3))).toEqual(task);
  });
});
