import {
  TransactionCanceledException,
  TransactionConflictException,
  type DynamoDBClient,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-dynamodb';
import type { BuildMiddleware } from '@smithy/types';

type Key = Record<string, { S?: string }>;
interface WriteInput {
  TransactItems?: { Put?: { Item?: Key }; Update?: { Key?: Key }; Delete?: { Key?: Key }; ConditionCheck?: { Key?: Key } }[];
  Item?: Key;
  Key?: Key;
}

const itemId = (key: Key | undefined) => `${key?.pk?.S}|${key?.sk?.S}`;
const SINGLE_WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);

/**
 * Test only: makes DynamoDB Local, which runs transactions one at a time, answer as DynamoDB does
 * when writes overlap on one item (DynamoDB developer guide, "Transaction conflict handling"):
 * - a TransactWriteItems that touches an item another TransactWriteItems holds in flight is
 *   cancelled with TransactionCanceledException, reason `TransactionConflict` for that item and
 *   `None` for the others, and writes nothing;
 * - a PutItem, UpdateItem or DeleteItem on an item a TransactWriteItems holds in flight fails with
 *   TransactionConflictException.
 * A transaction holds its items from the moment it is sent until its answer arrives or `holdMs`
 * have passed, whichever is first: DynamoDB Local queues transactions, so under a burst its answer
 * time says nothing of how long DynamoDB would hold an item (about one transaction's latency there).
 * `injected` counts the refusals.
 */
export function injectTransactionConflicts(client: DynamoDBClient, { holdMs = 25 } = {}): { injected: { transactions: number; writes: number } } {
  const held = new Map<string, number>();
  const injected = { transactions: 0, writes: 0 };
  const $metadata = { httpStatusCode: 400 };
  const middleware: BuildMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    const input = args.input as unknown as WriteInput;
    if (context.commandName === 'TransactWriteItemsCommand' && input.TransactItems) {
      const ids = input.TransactItems.map((entry) => itemId(entry.Put?.Item ?? entry.Update?.Key ?? entry.Delete?.Key ?? entry.ConditionCheck?.Key));
      const codes = ids.map((id) => (held.has(id) ? 'TransactionConflict' : 'None'));
      if (codes.includes('TransactionConflict')) {
        injected.transactions += 1;
        throw new TransactionCanceledException({
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
          $metadata,
          CancellationReasons: codes.map((Code) => ({ Code, Message: Code === 'None' ? undefined : 'Transaction is ongoing for the item' })),
        });
      }
      for (const id of ids) held.set(id, (held.get(id) ?? 0) + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        for (const id of ids) {
          const count = held.get(id)! - 1;
          if (count) held.set(id, count);
          else held.delete(id);
        }
      };
      const timer = setTimeout(release, holdMs);
      try {
        return await next(args);
      } finally {
        clearTimeout(timer);
        release();
      }
    }
    if (SINGLE_WRITES.has(String(context.commandName)) && held.has(itemId(input.Key ?? input.Item))) {
      injected.writes += 1;
      throw new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata });
    }
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: 'build', name: 'testTransactionConflicts' });
  return { injected };
}
