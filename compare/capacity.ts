import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSI1 } from '../core/adapters/dynamo-table.js';
import { createDynamoTaskStore } from '../core/adapters/dynamo-task-store.js';
import { createJwtAuthenticator } from '../core/adapters/jwt-authenticator.js';
import { createS3BlobStore } from '../core/adapters/s3-blob-store.js';
import { loadConfig } from '../core/config.js';
import { createFullHttpHandler } from '../core/http/all-routes.js';
import { silentLogger } from '../core/ports/logger.js';
import { billTransactionsAsDynamoDB } from './dynamo-units.js';
import { LOCAL_CREDENTIALS } from '../scripts/local-stack.js';
import { createPlanner, type PlannedRequest } from './operations.js';
import { createChooser, OPERATION_KINDS, type OperationKind, type Workload } from './workload.js';
import { system } from '../wiring/system.js';

/** DynamoDB request units and S3 requests one operation consumed, as DynamoDB bills them (compare/dynamo-units.ts). */
export interface OperationCapacity {
  readUnits: number;
  writeUnits: number;
  dynamoRequests: number;
  s3Writes: number;
  s3Reads: number;
}

const READS = new Set(['GetItem', 'Query', 'BatchGetItem', 'TransactGetItems', 'Scan']);
const S3_READS = new Set(['GetObject', 'HeadObject', 'HeadBucket']);

/**
 * Runs each operation of the workload once through the core, on SDK clients whose middleware
 * asks DynamoDB for the consumed capacity and counts every request (the stack's DynamoDB Local
 * and s3rver). The request units are the same whichever target serves the operation.
 */
export async function measureCapacity(env: Record<string, string>, authorization: string, workload: Workload): Promise<Record<OperationKind, OperationCapacity>> {
  const config = loadConfig({ ...env, STORE: 'dynamodb' }, 'container');
  if (config.store !== 'dynamodb') throw new Error('counting DynamoDB requests needs STORE=dynamodb');
  const dynamoConfig = { region: config.region, endpoint: config.dynamodbEndpoint!, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient(dynamoConfig);
  // DynamoDB Local misreports transactions; these are DynamoDB's units (compare/dynamo-units.ts).
  const closeReader = billTransactionsAsDynamoDB(dynamo, dynamoConfig, { [GSI1]: ['gsi1pk', 'gsi1sk'] });
  const s3 = new S3Client({ region: config.region, endpoint: config.s3Endpoint!, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  let current: OperationCapacity = { readUnits: 0, writeUnits: 0, dynamoRequests: 0, s3Writes: 0, s3Reads: 0 };
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const command = String(context.commandName).replace(/Command$/, '');
      current.dynamoRequests++;
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, item) => sum + (item.CapacityUnits ?? 0), 0);
      if (READS.has(command)) current.readUnits += units;
      else current.writeUnits += units;
      return result;
    },
    { step: 'initialize', name: 'compareCapacity' },
  );
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (S3_READS.has(String(context.commandName).replace(/Command$/, ''))) current.s3Reads++;
      else current.s3Writes++;
      return next(args);
    },
    { step: 'initialize', name: 'compareS3Requests' },
  );
  const http = createFullHttpHandler({
    config,
    store: createDynamoTaskStore({ client: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }), tableName: config.tableName, clock: system.clock }),
    blobs: createS3BlobStore({ client: s3, bucketName: config.bucketName, clock: system.clock }),
    ...system,
    logger: silentLogger,
    authenticator: createJwtAuthenticator(config.auth),
  });
  const send = async (planned: PlannedRequest) => {
    const [path, query = ''] = planned.path.split('?');
    const response = await http.handle({
      method: planned.method,
      path: path!,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers: { authorization, ...planned.headers },
      ...(planned.body !== undefined && { body: planned.body }),
    });
    planned.learn?.(response.status, response.body ?? '', response.headers);
    return response;
  };
  try {
    const out = {} as Record<OperationKind, OperationCapacity>;
    // Each kind measured alone, after a create that gives it a task to read or patch.
    const byKind = (kind: OperationKind) => ({ ...workload, operations: [{ name: kind, kind, weight: 1 }] });
    for (const kind of OPERATION_KINDS) {
      const one = createPlanner(byKind(kind), createChooser(workload.seed), `capacity-${kind}-${Date.now()}`);
      one.seeded((await send(createPlanner(byKind('createTask'), createChooser(2), `capacity-task-${kind}-${Date.now()}`).next())).body ?? '');
      const measured = (current = { readUnits: 0, writeUnits: 0, dynamoRequests: 0, s3Writes: 0, s3Reads: 0 });
      await send(one.next());
      // The next kind's setup must not count here.
      current = { readUnits: 0, writeUnits: 0, dynamoRequests: 0, s3Writes: 0, s3Reads: 0 };
      out[kind] = measured;
    }
    return out;
  } finally {
    dynamo.destroy();
    closeReader();
    s3.destroy();
  }
}
