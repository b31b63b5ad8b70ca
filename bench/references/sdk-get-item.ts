// Reference for the cold-start proxy: the least a DynamoDB-backed function can do with the AWS
// SDK v3 duet uses: import the client, build it, answer with one GetItem. Bundled like duet's
// functions (bench/lambda.ts); the gap between it and bare node is the SDK's own floor.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const local = process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } } : {};
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION, ...local }));

export const handler = async () => {
  const { Item } = await client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'T#bench', sk: 'STATS' } }));
  return { statusCode: 200, body: JSON.stringify(Item ?? null) };
};
