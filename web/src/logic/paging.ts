import type { Task } from './types.js';

/** The list as loaded so far through the API's cursor. */
export interface Paged {
  items: Task[];
  /** Where the next page starts; undefined once the last page is in. */
  cursor?: string;
  done: boolean;
}

export const EMPTY: Paged = { items: [], done: false };

/** The query of the next page: the filters, the page size and the cursor when there is one. */
export function pageQuery(filters: { status?: string; tag?: string }, limit: number, cursor?: string): string {
  const query = new URLSearchParams();
  if (filters.status) query.set('status', filters.status);
  if (filters.tag) query.set('tag', filters.tag);
  query.set('limit', String(limit));
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}

/** Appends a page, keeping each task once (a task changed meanwhile can show up on two pages). */
export function appendPage(current: Paged, page: { items: Task[]; nextCursor?: string }): Paged {
  const seen = new Set(current.items.map((task) => task.id));
  const fresh = page.items.filter((task) => !seen.has(task.id));
  return { items: [...current.items, ...fresh], ...(page.nextCursor && { cursor: page.nextCursor }), done: !page.nextCursor };
}

/** The list with one task replaced (after an edit) or removed (after a delete, `replacement` undefined). */
export function replaceTask(current: Paged, id: string, replacement?: Task): Paged {
  const items = replacement ? current.items.map((task) => (task.id === id ? replacement : task)) : current.items.filter((task) => task.id !== id);
  return { ...current, items };
}

/** Whether a task belongs in a list with these filters (a new or edited task may not). */
export function matchesFilters(task: Task, filters: { status?: string; tag?: string }): boolean {
  return (!filters.status || task.status === filters.status) && (!filters.tag || task.tags.includes(filters.tag));
}
