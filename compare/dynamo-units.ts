import { DynamoDBClient, GetItemCommand, type AttributeValue, type DynamoDBClientConfig, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import type { BuildMiddleware } from '@smithy/types';

type Item = Record<string, AttributeValue>;
type Action = { Put?: { TableName?: string; Item?: Item }; Update?: { TableName?: string; Key?: Item }; Delete?: { TableName?: string; Key?: Item }; ConditionCheck?: { TableName?: string; Key?: Item } };

const KB = 1024;
const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** One attribute value's size as DynamoDB counts it (developer guide, "Item sizes and formats"). */
function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-/, '').replace(/^0+\.?0*|\./g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, text) => sum + utf8(text), 0);
  if (value.NS) return value.NS.reduce((sum, number) => sum + valueBytes({ N: number }), 0);
  if (value.BS) return value.BS.reduce((sum, bytes) => sum + bytes.byteLength, 0);
  if (value.L) return 3 + value.L.reduce((sum, element) => sum + valueBytes(element) + 1, 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, element]) => sum + utf8(name) + valueBytes(element) + 1, 0);
  return 0;
}

/** An item's size: every attribute's name and value. */
export function itemBytes(item: Item | undefined): number {
  return item ? Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0) : 0;
}

const units = (bytes: number) => Math.ceil(bytes / KB);

/**
 * The write units DynamoDB bills for one TransactWriteItems, from the items before and after it:
 * each item 2 units per KB of the larger image (a transaction writes every item twice, to prepare
 * and to commit), each index entry it adds, removes or rewrites 1 unit per KB (indexes are
 * updated after the commit, as for any write; with ALL projected, an entry is as large as its item).
 */
export function transactionUnits(images: { before?: Item; after?: Item }[], indexKeys: readonly (readonly [string, string])[]): { table: number; indexes: number[] } {
  let table = 0;
  const indexes = indexKeys.map(() => 0);
  for (const { before, after } of images) {
    if (!before && !after) continue;
    table += 2 * Math.max(1, units(Math.max(itemBytes(before), itemBytes(after))));
    indexKeys.forEach(([hash, range], i) => {
      const keyOf = (item?: Item) => (item?.[hash] && item[range] ? JSON.stringify([item[hash], item[range]]) : undefined);
      const [was, is] = [keyOf(before), keyOf(after)];
      if (was && is && was === is) indexes[i]! += Math.max(1, units(Math.max(itemBytes(before), itemBytes(after))));
      else indexes[i]! += (was ? Math.max(1, units(itemBytes(before))) : 0) + (is ? Math.max(1, units(itemBytes(after))) : 0);
    });
  }
  return { table, indexes };
}

/**
 * DynamoDB Local misreports what a transaction consumes: it charges 4 units for each item (DynamoDB
 * charges 2 per KB) and 4 for an index entry, and leaves items out of the sum (a create's idempotency
 * record). This build-step middleware reads each item of a TransactWriteItems before and after it
 * (with a client of its own, so those reads count nowhere) and puts DynamoDB's units in the answer's
 * ConsumedCapacity instead. Other requests keep Local's figures, which match DynamoDB's.
 */
export function billTransactionsAsDynamoDB(client: DynamoDBClient, config: DynamoDBClientConfig, indexes: Record<string, readonly [string, string]>): () => void {
  const reader = new DynamoDBClient(config);
  const read = async (tableName: string, key: Item) => (await reader.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const middleware: BuildMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
    const actions = ((args.input as { TransactItems?: Action[] }).TransactItems ?? []).filter((action) => !action.ConditionCheck);
    const targets = actions.map((action) => {
      const body = action.Put ?? action.Update ?? action.Delete!;
      const item = action.Put?.Item;
      return { tableName: body.TableName!, key: action.Put ? { pk: item!.pk!, sk: item!.sk! } : (body as { Key: Item }).Key };
    });
    const before = await Promise.all(targets.map((target) => read(target.tableName, target.key)));
    const result = await next(args);
    const after = await Promise.all(targets.map((target) => read(target.tableName, target.key)));
    const tableName = targets[0]?.tableName;
    if (tableName) {
      const names = Object.keys(indexes);
      const { table, indexes: perIndex } = transactionUnits(before.map((item, i) => ({ before: item, after: after[i] })), Object.values(indexes));
      const total = table + perIndex.reduce((sum, value) => sum + value, 0);
      (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity = [
        {
          TableName: tableName,
          CapacityUnits: total,
          WriteCapacityUnits: total,
          Table: { CapacityUnits: table, WriteCapacityUnits: table },
          GlobalSecondaryIndexes: Object.fromEntries(names.map((name, i) => [name, { CapacityUnits: perIndex[i], WriteCapacityUnits: perIndex[i] }])),
        },
      ];
    }
    return result;
  };
  client.middlewareStack.add(middleware, { step: 'build', name: 'billTransactionsAsDynamoDB' });
  return () => reader.destroy();
}
