import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ListQuery } from '../ports/task-store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { GSI1, pkOf, statusPk, TASKS_PREFIX } from './dynamo-table.js';

type Item = Record<string, unknown>;

export interface TaskListOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  send: <T>(call: () => Promise<T>) => Promise<T>;
  /** At least limit + 1 is always read. */
  readBudget: number;
}

/**
 * One page of a tenant's tasks, as raw items. DynamoDB applies a FilterExpression after Limit, so
 * a filtered Query can come back short while matches remain: this queries again from where the
 * last one stopped, each time reading twice as many, until it holds one match past the page (so
 * nextCursor is set only when more remain), the tasks run out, or it has read `readBudget` tasks.
 * Without a tag every task matches and one Query of limit + 1 does it.
 */
export async function queryTaskPage(
  { client, tableName, send, readBudget }: TaskListOptions,
  tenant: string,
  query: ListQuery,
): Promise<{ items: Item[]; nextCursor?: string }> {
  const after = query.cursor ? decodeCursor(query.cursor, query.status) : undefined;
  const byStatus = query.status !== undefined;
  const gsi1pk = statusPk(tenant, query.status ?? '');
  // `entity` skips attachment records an older layout kept among the tasks (sk TASK#<id>#ATT#…).
  const values: Item = { ':entity': 'task', ...(query.tag && { ':tag': query.tag }) };
  const request: QueryCommandInput = {
    TableName: tableName,
    ...(byStatus
      ? { IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :g', ExpressionAttributeValues: { ...values, ':g': gsi1pk } }
      : {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ...values, ':pk': pkOf(tenant), ':prefix': TASKS_PREFIX },
        }),
    FilterExpression: query.tag ? 'entity = :entity AND contains(tags, :tag)' : 'entity = :entity',
    ScanIndexForward: false,
  };
  const positionOf = (item: Item) =>
    encodeCursor({ status: query.status ?? null, sk: String(item.sk), ...(byStatus && { gsi1sk: String(item.gsi1sk) }) });

  const budget = Math.max(readBudget, query.limit + 1);
  let start: Item | undefined = after && { pk: pkOf(tenant), sk: after.sk, ...(byStatus && { gsi1pk, gsi1sk: after.gsi1sk }) };
  const found: Item[] = [];
  let read = 0;
  for (let size = query.limit + 1; ; size *= 2) {
    const result = await send(() =>
      client.send(new QueryCommand({ ...request, Limit: Math.min(size, budget - read), ...(start && { ExclusiveStartKey: start }) })),
    );
    read += result.ScannedCount ?? 0;
    found.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
    if (found.length > query.limit || !start || read >= budget) break;
  }
  const items = found.slice(0, query.limit);
  // Resume right after the last task returned, or, when the budget ended the page, after the last task read.
  const resumeAt = found.length > query.limit ? items.at(-1) : start;
  return resumeAt ? { items, nextCursor: positionOf(resumeAt) } : { items };
}
