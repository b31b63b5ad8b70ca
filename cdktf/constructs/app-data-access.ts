import { GSI1 } from '../../core/adapters/dynamo-table.js';
import type { PolicyStatement } from './policy.js';

export interface AppDataAccessOptions {
  tableArn: string;
  bucketArn: string;
}

/**
 * Exactly what the app does with its data (the same grants serverless.yml gives the Lambda
 * role): item reads and writes on the table and its one index, object access under tenants/.
 */
export function appDataAccessStatements({ tableArn, bucketArn }: AppDataAccessOptions): PolicyStatement[] {
  return [
    {
      sid: 'TaskTable',
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      resources: [tableArn, `${tableArn}/index/${GSI1}`],
    },
    {
      sid: 'AttachmentObjects',
      actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
      resources: [`${bucketArn}/tenants/*`],
    },
    { sid: 'AttachmentBucket', actions: ['s3:ListBucket'], resources: [bucketArn] },
  ];
}
