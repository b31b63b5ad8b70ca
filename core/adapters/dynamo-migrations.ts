import { ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { attachmentSk, TASKS_PREFIX } from './dynamo-table.js';

/**
 * Moves attachment records from the first layout (sk `TASK#<taskId>#ATT#<id>`, among the tasks,
 * where a list's Limit counted them) to `ATT#<taskId>#<id>`, each in one transaction, so it can
 * run on a live table and again after an interruption. A one-off, so a Scan is acceptable here.
 * Resolves to the number of records moved.
 */
export async function migrateAttachmentKeys({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }): Promise<number> {
  let moved = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'entity = :attachment AND begins_with(sk, :task)',
        ExpressionAttributeValues: { ':attachment': 'attachment', ':task': TASKS_PREFIX },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: { ...item, sk: attachmentSk(String(item.taskId), String(item.id)) } } },
            { Delete: { TableName: tableName, Key: { pk: item.pk, sk: item.sk }, ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      );
      moved += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return moved;
}
