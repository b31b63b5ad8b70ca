import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { devIssuer } from './auth.js';
import { ensureBucket, ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../scripts/local-stack.js';

/** A fresh table and bucket on the stand-ins the global setup started, so test files never share data. */
export async function freshStack() {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const s3Endpoint = inject('s3Endpoint');
  const suffix = randomUUID().slice(0, 8);
  const tableName = `duet-test-${suffix}`;
  const bucketName = `duet-test-${suffix}`;
  await ensureTable(dynamoEndpoint, tableName);
  await ensureBucket(s3Endpoint, bucketName);
  const dynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const s3 = new S3Client({
    endpoint: s3Endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    dynamoEndpoint,
    s3Endpoint,
    tableName,
    bucketName,
    dynamo,
    documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    s3,
    /** The environment the container's composition root reads for this stack. */
    env: {
      STORE: 'dynamodb',
      TABLE_NAME: tableName,
      BUCKET_NAME: bucketName,
      AWS_REGION: LOCAL_REGION,
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      S3_ENDPOINT: s3Endpoint,
      ...devIssuer().env,
    },
    close() {
      dynamo.destroy();
      s3.destroy();
    },
  };
}
