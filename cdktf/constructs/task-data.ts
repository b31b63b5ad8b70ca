import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { tableDefinition, TTL_ATTRIBUTE } from '../../core/adapters/dynamo-table.js';
import { ATTACHMENT_CORS } from '../attachment-cors.js';
import { PrivateBucket } from './private-bucket.js';

export interface TaskDataOptions {
  tableName: string;
  bucketName: string;
  /** Prod: the table cannot be deleted until this is switched off. */
  deletionProtection: boolean;
  /** Origins of the browser clients that PUT to presigned attachment URLs; none: no CORS rule. */
  corsAllowedOrigins: string[];
  noncurrentVersionDays: number;
}

export interface DataRef {
  name: string;
  arn: string;
}


/**
 * The shared data both targets use: the single table of docs/design.md ("Data model") and the attachment
 * bucket. The key layout comes from the app's own table definition, so the two cannot drift.
 */
export class TaskData extends Construct {
  readonly table: DataRef;
  readonly bucket: DataRef;

  constructor(scope: Construct, id: string, options: TaskDataOptions) {
    super(scope, id);
    const definition = tableDefinition(options.tableName);
    const key = (schema: typeof definition.KeySchema, type: 'HASH' | 'RANGE') => schema?.find((k) => k.KeyType === type)?.AttributeName;

    const table = new DynamodbTable(this, 'table', {
      name: options.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: key(definition.KeySchema, 'HASH'),
      rangeKey: key(definition.KeySchema, 'RANGE'),
      attribute: (definition.AttributeDefinitions ?? []).map((a) => ({ name: a.AttributeName!, type: a.AttributeType! })),
      globalSecondaryIndex: (definition.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName!,
        hashKey: key(index.KeySchema, 'HASH')!,
        rangeKey: key(index.KeySchema, 'RANGE'),
        projectionType: index.Projection?.ProjectionType ?? 'ALL',
      })),
      ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: options.deletionProtection,
    });

    const attachments = new PrivateBucket(this, 'attachments', {
      bucketName: options.bucketName,
      noncurrentVersionDays: options.noncurrentVersionDays,
      abortIncompleteUploadDays: 1,
      ...(options.corsAllowedOrigins.length > 0 && { cors: { ...ATTACHMENT_CORS, allowedOrigins: options.corsAllowedOrigins } }),
    });

    this.table = { name: table.name, arn: table.arn };
    this.bucket = { name: attachments.bucket.bucket, arn: attachments.bucket.arn };
  }
}
