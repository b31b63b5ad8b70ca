import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, DependencyUnavailableError } from '../domain/errors.js';
import type { Item } from './dynamo-task-codec.js';
import { translateAwsError } from './aws-errors.js';
import { pkOf, statsSk } from './dynamo-table.js';
import { statsShard } from './stats-shards.js';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** Why DynamoDB cancelled one item of a transaction, with the item as it was when asked for. */
export interface Reason {
  code?: string;
  item?: Item;
}

/** Cancellation reasons that say an item is over its throughput, not that the request was wrong. */
const THROTTLED = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** How often a transaction is tried while DynamoDB reports a conflicting transaction in flight. */
export const TRANSACTION_ATTEMPTS = 8;

/**
 * Sends a DynamoDB call: a dependency that is down is DependencyUnavailableError (aws-errors.ts);
 * a single-item write that met a transaction in flight on its item is a ConflictError.
 */
export function dynamoSend() {
  const send = translateAwsError('DynamoDB');
  return async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await send(call);
    } catch (error) {
      if (error instanceof TransactionConflictException) throw new ConflictError('The request met a concurrent transaction; retry it.', { cause: error });
      throw error;
    }
  };
}

/** Full jitter under an exponential ceiling (10, 20, 40, 80, then 100 ms), so retries of a burst spread apart. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 10 * 2 ** (attempt - 1))));

/**
 * Runs one transaction, retrying (jittered) only when DynamoDB reports a conflicting transaction
 * in flight. Resolves to undefined when it committed, or to the per-item cancellation reasons;
 * a conflict that outlasts every attempt is a ConflictError, an item over its throughput (a hot
 * item's 1,000 write units a second) a DependencyUnavailableError.
 */
export function createTransact(client: DynamoDBDocumentClient, send: <T>(call: () => Promise<T>) => Promise<T>) {
  return async function transact(items: TransactItems): Promise<Reason[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await send(() => client.send(new TransactWriteCommand({ TransactItems: items })));
        return undefined;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = (error.CancellationReasons ?? []).map((reason) => ({
          code: reason.Code,
          item: reason.Item ? unmarshall(reason.Item) : undefined,
        }));
        if (reasons.some((reason) => THROTTLED.has(reason.code ?? ''))) {
          throw new DependencyUnavailableError('DynamoDB is throttling writes to these items.', 1, { cause: error });
        }
        if (!reasons.some((reason) => reason.code === 'TransactionConflict')) return reasons;
        if (attempt >= TRANSACTION_ATTEMPTS) {
          throw new ConflictError('The request conflicted with concurrent changes; retry it.', { cause: error });
        }
        await backoff(attempt);
      }
    }
  };
}

/** The transaction item that moves the counters (one number per status) of a task's shard by the given deltas. */
export function countersUpdate(tableName: string, tenant: string, taskId: string, deltas: Partial<Record<string, number>>): TransactItems[number] {
  const entries = Object.entries(deltas).filter(([, delta]) => delta !== 0);
  return {
    Update: {
      TableName: tableName,
      Key: { pk: pkOf(tenant), sk: statsSk(statsShard(taskId)) },
      UpdateExpression: `ADD ${entries.map((_, i) => `#s${i} :d${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([status], i) => [`#s${i}`, status])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, delta], i) => [`:d${i}`, delta])),
    },
  };
}
