import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTransact, dynamoSend, TRANSACTION_ATTEMPTS } from '../../core/adapters/dynamo-transaction.js';
import { STATS_SHARDS, statsShard } from '../../core/adapters/stats-shards.js';
import { ConflictError, DependencyUnavailableError } from '../../core/domain/errors.js';
import { nextId } from '../support/fixtures.js';

const $metadata = { httpStatusCode: 400 };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata, CancellationReasons: codes.map((Code) => ({ Code })) });

/** A client whose sends answer with the given outcomes in turn (an error is thrown), counting them. */
function scripted(...outcomes: (Error | undefined)[]) {
  const client = {
    sent: 0,
    async send() {
      const outcome = outcomes[Math.min(client.sent++, outcomes.length - 1)];
      if (outcome) throw outcome;
      return {};
    },
  };
  return client;
}

describe('DynamoDB transactions under contention', () => {
  it('tries again while DynamoDB reports a conflicting transaction, and commits', async () => {
    const client = scripted(cancelled('TransactionConflict', 'None'), cancelled('None', 'TransactionConflict'), undefined);
    const transact = createTransact(client as unknown as DynamoDBDocumentClient, dynamoSend());
    expect(await transact([])).toBeUndefined();
    expect(client.sent).toBe(3);
  });

  it(`answers a ConflictError (a 409 with Retry-After) after ${TRANSACTION_ATTEMPTS} conflicting tries`, async () => {
    const client = scripted(cancelled('None', 'TransactionConflict'));
    const transact = createTransact(client as unknown as DynamoDBDocumentClient, dynamoSend());
    await expect(transact([])).rejects.toBeInstanceOf(ConflictError);
    expect(client.sent).toBe(TRANSACTION_ATTEMPTS);
  });

  it('hands back the reasons of a failed condition at once', async () => {
    const client = scripted(cancelled('ConditionalCheckFailed', 'None'));
    const transact = createTransact(client as unknown as DynamoDBDocumentClient, dynamoSend());
    expect(await transact([])).toEqual([{ code: 'ConditionalCheckFailed' }, { code: 'None' }]);
    expect(client.sent).toBe(1);
  });

  it('answers a transaction cancelled for throttling as unavailable (a 503 with Retry-After), not as a failed condition', async () => {
    const client = scripted(cancelled('None', 'ThrottlingError'));
    const transact = createTransact(client as unknown as DynamoDBDocumentClient, dynamoSend());
    await expect(transact([])).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(client.sent).toBe(1);
  });

  it('answers a single write that met a transaction in flight as a ConflictError, throttling as unavailable', async () => {
    const send = dynamoSend();
    await expect(send(() => Promise.reject(new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata })))).rejects.toBeInstanceOf(ConflictError);
    await expect(send(() => Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })))).rejects.toBeInstanceOf(DependencyUnavailableError);
    const other = new Error('other');
    await expect(send(() => Promise.reject(other))).rejects.toBe(other);
  });
});

describe('counter shards', () => {
  it('puts a task on the same shard every time and spreads consecutive ULIDs over all of them', () => {
    const ids = Array.from({ length: 800 }, () => nextId());
    const shards = ids.map(statsShard);
    expect(ids.map(statsShard)).toEqual(shards);
    const perShard = Array.from({ length: STATS_SHARDS }, (_, shard) => shards.filter((value) => value === shard).length);
    expect(Math.min(...perShard)).toBeGreaterThan(800 / STATS_SHARDS / 2);
  });
});
