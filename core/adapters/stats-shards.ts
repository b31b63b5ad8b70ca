/**
 * A tenant's per-status counters are spread over STATS_SHARDS records, so concurrent writes of
 * one tenant rarely meet on one record (on DynamoDB: one item, its TransactionConflict and its
 * 1,000 write units a second); a read sums them all. A task's shard comes from its id, so its
 * create, status changes and delete all move the same shard. Both stores use it.
 */
export const STATS_SHARDS = 16;

/** The shard of a task's counters: FNV-1a of its id, so neighbouring ULIDs land apart. */
export function statsShard(taskId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < taskId.length; i++) hash = Math.imul(hash ^ taskId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % STATS_SHARDS;
}
