import type { Attachment } from '../../core/domain/attachment.js';
import type { Task } from '../../core/domain/task.js';
import { createUlidIds } from '../../core/adapters/system.js';
import type { Clock } from '../../core/ports/clock.js';

const ids = createUlidIds();
export const nextId = () => ids.next();

export function makeTask(overrides: Partial<Task> = {}): Task {
  const at = '2026-01-01T00:00:00.000Z';
  return { id: nextId(), title: 'Write the report', status: 'todo', priority: 'medium', tags: [], createdAt: at, updatedAt: at, version: 1, ...overrides };
}

export function makeAttachment(taskId: string, overrides: Partial<Attachment> = {}): Attachment {
  return { id: nextId(), taskId, filename: 'notes.txt', contentType: 'text/plain', size: 5, createdAt: '2026-01-01T00:00:00.000Z', ...overrides };
}

/** A clock the test moves by hand. */
export function makeClock(start = '2026-01-01T00:00:00.000Z'): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

/** The error a synchronous call throws; fails the test when it does not throw. */
export function caught(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** What an async act rejected with; fails the test when it resolved. */
export async function caughtAsync(act: () => Promise<unknown>): Promise<unknown> {
  try {
    await act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}
