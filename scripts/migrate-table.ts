// `node --import tsx scripts/migrate-table.ts --table <name> [--region <region>] [--endpoint <url>]`:
// brings a table written by an earlier version to today's key layout (core/adapters/dynamo-migrations.ts),
// with the AWS credentials of the environment. Safe to run twice; `npm start` does it for its own table.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import { migrateAttachmentKeys } from '../core/adapters/dynamo-migrations.js';

const { values } = parseArgs({ options: { table: { type: 'string' }, region: { type: 'string' }, endpoint: { type: 'string' } }, strict: true });
if (!values.table) {
  console.error('usage: node --import tsx scripts/migrate-table.ts --table <name> [--region <region>] [--endpoint <url>]');
  process.exit(2);
}
const client = new DynamoDBClient({ ...(values.region && { region: values.region }), ...(values.endpoint && { endpoint: values.endpoint }) });
try {
  const moved = await migrateAttachmentKeys({ client: DynamoDBDocumentClient.from(client), tableName: values.table });
  console.log(`${values.table}: ${moved} attachment record(s) moved to ATT#<taskId>#<attachmentId>`);
} finally {
  client.destroy();
}
