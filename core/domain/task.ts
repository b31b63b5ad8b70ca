import * as z from 'zod';
import { line, lines } from './text.js';

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;

export const TaskStatus = z.enum(TASK_STATUSES).meta({ id: 'TaskStatus' });
export const TaskPriority = z.enum(TASK_PRIORITIES).meta({ id: 'TaskPriority' });
export type TaskStatus = z.infer<typeof TaskStatus>;

/** ULIDs: 26 Crockford base32 characters, the first one at most 7. */
export const Ulid = z.string().regex(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/, 'must be a ULID');

// Stored tasks are read with the plain rules, so text written before the checks still reads.
const Title = z.string().trim().min(1).max(200);
const Description = z.string().max(4000);
const TitleInput = line(Title);
const DescriptionInput = lines(Description);
const DueAt = z.iso.datetime({ offset: true });
const Tag = z.string().regex(/^[a-z0-9-]{1,32}$/, 'must match [a-z0-9-]{1,32}');
const Tags = z.array(Tag).max(10);

export const Task = z
  .strictObject({
    id: Ulid,
    title: Title,
    description: Description.optional(),
    status: TaskStatus,
    priority: TaskPriority,
    dueAt: DueAt.optional(),
    tags: Tags,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().min(1),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

export const CreateTaskInput = z
  .strictObject({
    title: TitleInput,
    description: DescriptionInput.optional(),
    status: TaskStatus.default('todo'),
    priority: TaskPriority.default('medium'),
    dueAt: DueAt.optional(),
    tags: Tags.default([]),
  })
  .meta({ id: 'CreateTaskInput' });
export type CreateTaskInput = z.infer<typeof CreateTaskInput>;

/** RFC 7396 merge patch of a task: null removes an optional field; required fields cannot be null. */
export const TaskPatch = z
  .strictObject({
    title: TitleInput.optional(),
    description: DescriptionInput.nullable().optional(),
    status: TaskStatus.optional(),
    priority: TaskPriority.optional(),
    dueAt: DueAt.nullable().optional(),
    tags: Tags.optional(),
  })
  .meta({ id: 'TaskPatch' });
export type TaskPatch = z.infer<typeof TaskPatch>;

export const ListTasksQuery = z.strictObject({
  status: TaskStatus.optional(),
  tag: Tag.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(1024).optional(),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const TaskPage = z
  .strictObject({ items: z.array(Task), nextCursor: z.string().optional() })
  .meta({ id: 'TaskPage' });

export const TaskStats = z
  .strictObject({
    total: z.int().min(0),
    byStatus: z.strictObject({ todo: z.int().min(0), in_progress: z.int().min(0), done: z.int().min(0) }),
  })
  .meta({ id: 'TaskStats' });
export type TaskStats = z.infer<typeof TaskStats>;

export function newTask(input: CreateTaskInput, id: string, now: Date): Task {
  const at = now.toISOString();
  return Task.parse({ ...input, id, createdAt: at, updatedAt: at, version: 1 });
}

/** Applies a validated merge patch (the task is flat, so RFC 7396 reduces to one level). */
export function applyPatch(task: Task, patch: TaskPatch, now: Date): Task {
  const next: Record<string, unknown> = { ...task };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  next.updatedAt = now.toISOString();
  next.version = task.version + 1;
  return Task.parse(next);
}
