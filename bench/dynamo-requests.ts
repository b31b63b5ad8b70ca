import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { GSI1 } from '../core/adapters/dynamo-table.js';
import { createDynamoTaskStore } from '../core/adapters/dynamo-task-store.js';
import { createS3BlobStore } from '../core/adapters/s3-blob-store.js';
import { createJwtAuthenticator } from '../core/adapters/jwt-authenticator.js';
import { loadConfig } from '../core/config.js';
import { createFullHttpHandler } from '../core/http/all-routes.js';
import type { HttpRequest } from '../core/http/types.js';
import { silentLogger } from '../core/ports/logger.js';
import { billTransactionsAsDynamoDB } from '../compare/dynamo-units.js';
import { LOCAL_CREDENTIALS } from '../scripts/local-stack.js';
import { system } from '../wiring/system.js';

export interface OperationCost {
  status: number;
  requests: number;
  commands: string[];
  consumedCapacity: number | null;
}

/**
 * Counts the DynamoDB requests each API operation makes, with a middleware on the SDK client that
 * also asks for (and sums) consumed capacity, which DynamoDB Local reports for most calls.
 */
export async function countDynamoRequests(env: Record<string, string>, authorization: string): Promise<Record<string, OperationCost>> {
  const config = loadConfig(env, 'container');
  if (config.store !== 'dynamodb') throw new Error('counting DynamoDB requests needs STORE=dynamodb');
  const dynamoConfig = { region: config.region, endpoint: config.dynamodbEndpoint!, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient(dynamoConfig);
  // DynamoDB Local misreports transactions; these are DynamoDB's units (compare/dynamo-units.ts).
  const closeReader = billTransactionsAsDynamoDB(dynamo, dynamoConfig, { [GSI1]: ['gsi1pk', 'gsi1sk'] });
  const s3 = new S3Client({ region: config.region, endpoint: config.s3Endpoint!, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  let calls: { command: string; capacity?: number }[] = [];
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const call: { command: string; capacity?: number } = { command: String(context.commandName).replace(/Command$/, '') };
      calls.push(call);
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).map((item) => item.CapacityUnits ?? 0);
      if (units.length) call.capacity = units.reduce((sum, unit) => sum + unit, 0);
      return result;
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const http = createFullHttpHandler({
    config,
    store: createDynamoTaskStore({ client: documents, tableName: config.tableName, clock: system.clock }),
    blobs: createS3BlobStore({ client: s3, bucketName: config.bucketName, clock: system.clock }),
    ...system,
    logger: silentLogger,
    authenticator: createJwtAuthenticator(config.auth),
  });
  const costs: Record<string, OperationCost> = {};
  const call = async (name: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, query: HttpRequest['query'] = {}) => {
    calls = [];
    const response = await http.handle({
      method,
      path,
      query,
      headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const capacities = calls.filter((item) => item.capacity !== undefined).map((item) => item.capacity!);
    costs[name] = {
      status: response.status,
      requests: calls.length,
      commands: calls.map((item) => item.command),
      consumedCapacity: capacities.length === calls.length && calls.length ? capacities.reduce((a, b) => a + b, 0) : null,
    };
    return response.body ? JSON.parse(response.body) : undefined;
  };
  try {
    await call('GET /healthz', 'GET', '/healthz');
    await call('GET /readyz', 'GET', '/readyz');
    await call('POST /v1 (legacy)', 'POST', '/v1', { data: 'hello' });
    const task = await call('POST /v1/tasks', 'POST', '/v1/tasks', { title: 'counted' });
    await call('POST /v1/tasks (Idempotency-Key)', 'POST', '/v1/tasks', { title: 'once' }, { 'idempotency-key': 'bench-key' });
    await call('POST /v1/tasks (replay)', 'POST', '/v1/tasks', { title: 'once' }, { 'idempotency-key': 'bench-key' });
    await call('GET /v1/tasks/{id}', 'GET', `/v1/tasks/${task.id}`);
    await call('GET /v1/tasks', 'GET', '/v1/tasks');
    await call('GET /v1/tasks?status=todo&tag=x', 'GET', '/v1/tasks', undefined, {}, { status: 'todo', tag: 'x' });
    await call('PATCH /v1/tasks/{id} (If-Match)', 'PATCH', `/v1/tasks/${task.id}`, { status: 'done' }, { 'if-match': '"1"' });
    await call('GET /v1/stats', 'GET', '/v1/stats');
    const created = await call('POST /v1/tasks/{id}/attachments', 'POST', `/v1/tasks/${task.id}/attachments`, {
      filename: 'a.txt',
      contentType: 'text/plain',
      size: 1,
    });
    await call('GET /v1/tasks/{id}/attachments', 'GET', `/v1/tasks/${task.id}/attachments`);
    await call('DELETE /v1/tasks/{id}/attachments/{aid}', 'DELETE', `/v1/tasks/${task.id}/attachments/${created.attachment.id}`);
    await call('DELETE /v1/tasks/{id}', 'DELETE', `/v1/tasks/${task.id}`);
  } finally {
    dynamo.destroy();
    closeReader();
    s3.destroy();
  }
  return costs;
}
