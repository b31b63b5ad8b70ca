import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table: keys pk/sk and one GSI on status. Under a tenant's pk, tasks are `TASK#<id>`
 * and nothing else sorts among them, so a list's Limit counts tasks only; a task's attachment
 * records are `ATT#<taskId>#<attachmentId>`, one range per task. A tenant's counters are the
 * items `STATS#00`…`STATS#15` (stats-shards.ts) and, from the first layout, `STATS`: one Query on
 * the prefix `STATS` reads them all.
 */
export const GSI1 = 'gsi1';
export const TTL_ATTRIBUTE = 'expiresAt';

export const pkOf = (tenant: string) => `T#${tenant}`;
export const TASKS_PREFIX = 'TASK#';
export const taskSk = (id: string) => `${TASKS_PREFIX}${id}`;
export const attachmentsPrefix = (taskId: string) => `ATT#${taskId}#`;
export const attachmentSk = (taskId: string, id: string) => `${attachmentsPrefix(taskId)}${id}`;
export const statusPk = (tenant: string, status: string) => `${pkOf(tenant)}#S#${status}`;
export const STATS_PREFIX = 'STATS';
export const statsSk = (shard: number) => `${STATS_PREFIX}#${String(shard).padStart(2, '0')}`;

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI1,
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
