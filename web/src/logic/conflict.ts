import type { Task } from './types.js';

/** The fields a user edits. */
export const EDITABLE = ['title', 'description', 'status', 'priority', 'dueAt', 'tags'] as const;
export type Field = (typeof EDITABLE)[number];
export type Draft = Pick<Task, 'title' | 'status' | 'priority' | 'tags'> & { description?: string; dueAt?: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The JSON merge patch of an edit: only the fields the user changed from `base` (the version the
 * edit started from); an emptied optional field becomes null, which removes it.
 */
export function mergePatch(base: Draft, draft: Draft): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of EDITABLE) {
    if (same(base[field], draft[field])) continue;
    const value = draft[field];
    patch[field] = value === undefined || value === '' ? null : value;
  }
  return patch;
}

export interface FieldConflict {
  field: Field;
  base: unknown;
  mine: unknown;
  theirs: unknown;
  /** Both sides changed the field, to different values. */
  clash: boolean;
}

/**
 * A lost update (412) explained: for every field someone changed since `base`, what it was, what
 * the user wants and what the server has now. `clash` marks fields both changed differently; the
 * user's patch re-applied on `theirs` would overwrite exactly those.
 */
export function describeConflict(base: Draft, mine: Draft, theirs: Task): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const field of EDITABLE) {
    const changedByMe = !same(base[field], mine[field]);
    const changedByThem = !same(base[field], theirs[field]);
    if (!changedByMe && !changedByThem) continue;
    out.push({ field, base: base[field], mine: mine[field], theirs: theirs[field], clash: changedByMe && changedByThem && !same(mine[field], theirs[field]) });
  }
  return out;
}

/** The draft of `theirs` with the user's own changes (from `base`) put back on top: what "re-apply" sends. */
export function reapply(base: Draft, mine: Draft, theirs: Task): Draft {
  const next: Draft = draftOf(theirs);
  for (const field of EDITABLE) if (!same(base[field], mine[field])) (next as Record<Field, unknown>)[field] = mine[field];
  return next;
}

export function draftOf(task: Task): Draft {
  return {
    title: task.title,
    status: task.status,
    priority: task.priority,
    tags: [...task.tags],
    ...(task.description !== undefined && { description: task.description }),
    ...(task.dueAt !== undefined && { dueAt: task.dueAt }),
  };
}

/** Tags as typed: comma or space separated, lower-cased, each once. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

/** A field's value for display. */
export function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(none)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  return String(value);
}
