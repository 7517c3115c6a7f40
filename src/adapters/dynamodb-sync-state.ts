import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
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
  const read = (item: AttributeMap) =>
    ResultAsync.fromPromise(
      client.send(new GetItemCommand({ TableName: tableName, Key: key(item), ConsistentRead: true })),
      toDomainError,
    ).map((output) => output.Item ?? {});
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
