import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { ResultAsync } from "neverthrow";
import type { DependencyError } from "../domain/shared/errors";
import type { IssuedStamp } from "../domain/sync/forward-decision";
import { type AttributeMap, canonicalKey } from "../domain/sync/sync-item";
import type { IssuedStamps, TombstoneStore, WriteResult } from "../domain/sync/sync-ports";
import { decodeStamp, encodeStamp, type SyncStamp } from "../domain/sync/sync-stamp";
import { awsErrorName, classifyAwsError } from "./aws-error-classification";

/** The sync-state table of a stack (template.yaml `SyncStateTable`): one item per synced item key, TTL'd. */
export const SYNC_STATE_TABLE = {
  partitionKey: "ItemKey",
  tombstone: "TombstoneStamp",
  issued: "IssuedStamp",
  issuedEventId: "IssuedEventId",
  ttlAttribute: "ExpiresAt",
} as const;

const decoded = (value: string | undefined): SyncStamp | undefined => {
  if (value === undefined) return undefined;
  const stamp = decodeStamp(value);
  return stamp.isOk() ? stamp.value : undefined;
};

/** BatchGetItem's limit of keys per request. */
const BATCH_GET_KEYS = 100;

type StoredState = Record<string, AttributeValue>;

/**
 * Consistent reads of state items, coalesced: the reads asked for in the same turn of the event loop
 * (the writer applies up to 10 message groups side by side, each reading its tombstone before and
 * after its write) go out as one BatchGetItem, so a batch costs two reads instead of twenty. Each
 * read is still sent after it was asked for, so it sees every write completed before it, exactly as
 * a GetItem would.
 */
const coalescedReads = (client: DynamoDBClient, tableName: string) => {
  let pending: { key: string; resolve: (item: StoredState) => void; reject: (error: unknown) => void }[] = [];
  const fetchAll = async (keys: readonly string[]): Promise<Map<string, StoredState>> => {
    const found = new Map<string, StoredState>();
    for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) {
      let request: Record<string, AttributeValue>[] = keys
        .slice(start, start + BATCH_GET_KEYS)
        .map((key) => ({ [SYNC_STATE_TABLE.partitionKey]: { S: key } }));
      while (request.length > 0) {
        const output = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: request, ConsistentRead: true } } }),
        );
        for (const item of output.Responses?.[tableName] ?? []) found.set(item[SYNC_STATE_TABLE.partitionKey]?.S ?? "", item);
        request = output.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }
    return found;
  };
  const flush = () => {
    const batch = pending;
    pending = [];
    const keys = [...new Set(batch.map((read) => read.key))];
    fetchAll(keys).then(
      (found) => {
        for (const read of batch) read.resolve(found.get(read.key) ?? {});
      },
      (error: unknown) => {
        for (const read of batch) read.reject(error);
      },
    );
  };
  return (key: string): Promise<StoredState> =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ key, resolve, reject });
    });
};

/**
 * The sync state kept for a table (tombstones of its deleted items and, in two-way mode, the last
 * stamp its forwarder issued per item), in a table of the stack on that table's side, out of the
 * table itself: a tombstone there would be an item its readers find after a delete. Each entry
 * expires `ttlSeconds` after its last write (longer than the FIFO queue and its DLQ keep a message).
 */
export const createDynamoDbSyncState = (
  client: DynamoDBClient,
  tableName: string,
  ttlSeconds: number,
  now: () => number = Date.now,
): TombstoneStore & IssuedStamps => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  const key = (item: AttributeMap) => ({ [SYNC_STATE_TABLE.partitionKey]: { S: canonicalKey(item) } });
  const expiresAt = () => ({ N: String(Math.floor(now() / 1000) + ttlSeconds) });
  const readState = coalescedReads(client, tableName);
  const read = (item: AttributeMap) => ResultAsync.fromPromise(readState(canonicalKey(item)), toDomainError);
  return {
    newest: (item) => read(item).map((stored) => decoded(stored[SYNC_STATE_TABLE.tombstone]?.S)),
    record: (item, stamp): ResultAsync<WriteResult, DependencyError> =>
      ResultAsync.fromPromise(
        client
          .send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(item),
              UpdateExpression: "SET #tombstone = :stamp, #expires = :expires",
              ConditionExpression: "attribute_not_exists(#tombstone) OR #tombstone <= :stamp",
              ExpressionAttributeNames: { "#tombstone": SYNC_STATE_TABLE.tombstone, "#expires": SYNC_STATE_TABLE.ttlAttribute },
              ExpressionAttributeValues: { ":stamp": { S: encodeStamp(stamp) }, ":expires": expiresAt() },
            }),
          )
          .then(
            () => "written" as const,
            (thrown: unknown) => {
              if (awsErrorName(thrown) === "ConditionalCheckFailedException") return "stale" as const;
              throw thrown;
            },
          ),
        toDomainError,
      ),
    last: (item) =>
      read(item).map((stored): IssuedStamp | undefined => {
        const stamp = decoded(stored[SYNC_STATE_TABLE.issued]?.S);
        const eventId = stored[SYNC_STATE_TABLE.issuedEventId]?.S;
        return stamp !== undefined && eventId !== undefined ? { stamp, eventId } : undefined;
      }),
    remember: (item, issued) =>
      ResultAsync.fromPromise(
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(item),
            UpdateExpression: "SET #issued = :stamp, #event = :event, #expires = :expires",
            ExpressionAttributeNames: {
              "#issued": SYNC_STATE_TABLE.issued,
              "#event": SYNC_STATE_TABLE.issuedEventId,
              "#expires": SYNC_STATE_TABLE.ttlAttribute,
            },
            ExpressionAttributeValues: {
              ":stamp": { S: encodeStamp(issued.stamp) },
              ":event": { S: issued.eventId },
              ":expires": expiresAt(),
            },
          }),
        ),
        toDomainError,
      ).map(() => undefined),
  };
};
