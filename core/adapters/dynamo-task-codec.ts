import { Attachment } from '../domain/attachment.js';
import { Task } from '../domain/task.js';
import { pkOf, statusPk, taskSk } from './dynamo-table.js';

export type Item = Record<string, unknown>;

/** The attributes an item carries for the table's keys and bookkeeping, not for the task itself. */
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entity', 'attachmentCount'];

/**
 * The task fields a stored task may lack (the schema's optional ones): an update that leaves one
 * out must REMOVE it. Derived from the Task schema, so a new optional field is removable at once.
 */
export const REMOVABLE_TASK_FIELDS: readonly string[] = Object.entries(Task.shape)
  .filter(([, schema]) => schema._zod.optout === 'optional')
  .map(([key]) => key);

/** The task fields an update never writes: they are fixed when the task is created. */
const FIXED_TASK_FIELDS = ['id', 'createdAt'];

function strip(item: Item): Item {
  const rest = { ...item };
  for (const key of KEY_ATTRIBUTES) delete rest[key];
  return rest;
}

/** A task as its item (dynamo-table.ts): keys, the status index's keys and the attachment count beside its fields. */
export function taskItem(tenant: string, task: Task, attachmentCount: number): Item {
  return {
    pk: pkOf(tenant),
    sk: taskSk(task.id),
    entity: 'task',
    gsi1pk: statusPk(tenant, task.status),
    gsi1sk: `${task.updatedAt}#${task.id}`,
    attachmentCount,
    ...task,
  };
}

/** What an update of a task item SETs (every field but the fixed ones, and the index keys) and REMOVEs. */
export function taskChanges(tenant: string, next: Task): { set: [string, unknown][]; remove: string[] } {
  const set = Object.entries(taskItem(tenant, next, 0)).filter(
    ([key]) => !['pk', 'sk', 'entity', 'attachmentCount', ...FIXED_TASK_FIELDS].includes(key),
  );
  return { set, remove: REMOVABLE_TASK_FIELDS.filter((key) => !(key in next)) };
}

/** A task read back, parsed through the same schema as input. */
export const decodeTask = (item: Item): Task => Task.parse(strip(item));

/** An attachment record read back, parsed through its schema. */
export const decodeAttachment = (item: Item): Attachment => Attachment.parse(strip(item));
