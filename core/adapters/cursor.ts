import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import type { TaskStatus } from '../domain/task.js';

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

/**
 * List cursors carry only the sort position, never a partition key: the store rebuilds the key
 * from the caller's tenant, so a crafted cursor cannot reach another tenant's items.
 */
const Position = z.strictObject({
  status: z.enum(['todo', 'in_progress', 'done']).nullable(),
  // `#ATT#…`: a position on an attachment record of the first key layout, where cursors could stop.
  sk: z.string().regex(new RegExp(`^TASK#${ULID}(#ATT#${ULID})?$`)),
  gsi1sk: z.string().regex(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z#${ULID}$`)).optional(),
});
export type CursorPosition = z.infer<typeof Position>;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string, status: TaskStatus | undefined): CursorPosition {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = Position.safeParse(raw);
  if (!parsed.success || parsed.data.status !== (status ?? null) || (status === undefined) !== (parsed.data.gsi1sk === undefined)) {
    throw new ValidationError('The cursor is not valid for this query.', [
      { path: 'cursor', message: 'use the nextCursor of a previous page of the same query' },
    ]);
  }
  return parsed.data;
}
