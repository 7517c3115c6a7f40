import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { okAsync, ResultAsync } from "neverthrow";
import type { DependencyError } from "../domain/shared/errors";
import { type AttributeMap, withoutSyncAttributes } from "../domain/sync/sync-item";
import type { OwnTable, SourceItemReader, SyncTargetTable, TargetWriteResult, WriteResult } from "../domain/sync/sync-ports";
import { encodeStamp, SYNC_ATTRIBUTES, type SyncStamp } from "../domain/sync/sync-stamp";
import { awsErrorName, classifyAwsError } from "./aws-error-classification";

type Item = Record<string, AttributeValue>;

const asItem = (item: AttributeMap): Item => item as Item;

const stamped = (image: AttributeMap, stamp: SyncStamp, extra: Item = {}): Item => ({
  ...asItem(withoutSyncAttributes(image)),
  [SYNC_ATTRIBUTES.stamp]: { S: encodeStamp(stamp) },
  [SYNC_ATTRIBUTES.origin]: { S: stamp.origin },
  ...extra,
});

const NAMES = { "#stamp": SYNC_ATTRIBUTES.stamp, "#key": "" };

/** Any one key attribute of the item: `attribute_exists` of it says whether the item exists. */
const keyName = (key: AttributeMap): string => Object.keys(key)[0] ?? "";

/**
 * Runs a conditional write: `written`, or `stale` when the condition failed (the item held something
 * as new or newer: the rule's no-op), every other failure classified once.
 */
const conditional = (dependency: string, write: () => Promise<unknown>): ResultAsync<WriteResult, DependencyError> =>
  ResultAsync.fromPromise(
    write().then(
      () => "written" as const,
      (thrown: unknown) => {
        if (awsErrorName(thrown) === "ConditionalCheckFailedException") return "stale" as const;
        throw thrown;
      },
    ),
    classifyAwsError(dependency),
  );

/**
 * The target table of the sync (any table: its key schema is whatever the change's key holds), with
 * the rule as ConditionExpressions on SyncStamp, so every write is one request with no read before it:
 * the stamp encodes the whole order, so `SyncStamp < :stamp` is the rule.
 */
export const createDynamoDbSyncTarget = (client: DynamoDBClient, tableName: string): SyncTargetTable & OwnTable & SourceItemReader => {
  const dependency = `DynamoDB table ${tableName}`;
  const toDomainError = classifyAwsError(dependency);
  const read = (key: AttributeMap) =>
    ResultAsync.fromPromise(
      client.send(new GetItemCommand({ TableName: tableName, Key: asItem(key), ConsistentRead: true })),
      toDomainError,
    ).map((output): AttributeMap | undefined => output.Item);
  /**
   * A refused write, in two-way mode: an unstamped item (a local change to wait for) or a stale change,
   * told apart by reading the item (only on this path: an accepted write costs no read).
   */
  const whyRefused = (
    key: AttributeMap,
    result: WriteResult,
    overwriteUnstamped: boolean,
  ): ResultAsync<TargetWriteResult, DependencyError> =>
    result === "written" || overwriteUnstamped
      ? okAsync(result)
      : read(key).map((item) => (item !== undefined && item[SYNC_ATTRIBUTES.stamp] === undefined ? "unstamped" : "stale"));
  /** Marks the item (the delete's stamp and SyncDeleted, so a two-way forwarder there skips the removal), then removes it while it carries the mark. */
  const markAndRemove = (key: AttributeMap, stamp: SyncStamp, condition: string, names: Record<string, string>, values: Item) => {
    const encoded = encodeStamp(stamp);
    const mark = conditional(dependency, () =>
      client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: asItem(key),
          UpdateExpression: "SET #stamp = :stamp, #origin = :origin, #deleted = :true",
          ConditionExpression: condition,
          ExpressionAttributeNames: {
            ...names,
            "#stamp": SYNC_ATTRIBUTES.stamp,
            "#origin": SYNC_ATTRIBUTES.origin,
            "#deleted": SYNC_ATTRIBUTES.deleted,
          },
          ExpressionAttributeValues: { ...values, ":stamp": { S: encoded }, ":origin": { S: stamp.origin }, ":true": { BOOL: true } },
        }),
      ),
    );
    return mark.andThen((marked) =>
      marked === "stale"
        ? okAsync("stale" as const)
        : conditional(dependency, () =>
            client.send(
              new DeleteItemCommand({
                TableName: tableName,
                Key: asItem(key),
                ConditionExpression: "#stamp = :stamp",
                ExpressionAttributeNames: { "#stamp": SYNC_ATTRIBUTES.stamp },
                ExpressionAttributeValues: { ":stamp": { S: encoded } },
              }),
            ),
          ),
    );
  };
  const olderCondition = (overwriteUnstamped: boolean, mustExist: boolean): string => {
    const older = "#stamp < :stamp";
    const unstamped = overwriteUnstamped ? "attribute_not_exists(#stamp)" : undefined;
    const absent = mustExist ? undefined : "attribute_not_exists(#key)";
    const either = [older, unstamped, absent].filter((part) => part !== undefined).join(" OR ");
    return mustExist ? `attribute_exists(#key) AND (${either})` : either;
  };
  const names = (key: AttributeMap) => ({ ...NAMES, "#key": keyName(key) });

  return {
    read,
    putIfNewer: (key, image, stamp, overwriteUnstamped) =>
      conditional(dependency, () =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: stamped({ ...image, ...key }, stamp),
            ConditionExpression: olderCondition(overwriteUnstamped, false),
            ExpressionAttributeNames: names(key),
            ExpressionAttributeValues: { ":stamp": { S: encodeStamp(stamp) } },
          }),
        ),
      ).andThen((result) => whyRefused(key, result, overwriteUnstamped)),
    // The mark accepts its own stamp again (`= :stamp`), so a retry after a crash between the two completes.
    deleteIfOlder: (key, stamp, overwriteUnstamped) =>
      markAndRemove(key, stamp, `${olderCondition(overwriteUnstamped, true)} OR #stamp = :stamp`, names(key), {}).andThen((result) =>
        whyRefused(key, result, overwriteUnstamped),
      ),
    putIfStill: (key, image, stamp, expected, restored) =>
      conditional(dependency, () =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: stamped({ ...image, ...key }, stamp, restored ? { [SYNC_ATTRIBUTES.restored]: { BOOL: true } } : {}),
            ConditionExpression:
              expected === "absent"
                ? "attribute_not_exists(#key)"
                : expected === "unstamped"
                  ? "attribute_exists(#key) AND attribute_not_exists(#stamp)"
                  : "#stamp = :expected",
            ExpressionAttributeNames:
              expected === "absent"
                ? { "#key": keyName(key) }
                : expected === "unstamped"
                  ? names(key)
                  : { "#stamp": SYNC_ATTRIBUTES.stamp },
            ...(typeof expected === "object" ? { ExpressionAttributeValues: { ":expected": { S: encodeStamp(expected) } } } : {}),
          }),
        ),
      ),
    deleteSyncedOlder: (key, stamp) =>
      markAndRemove(
        key,
        stamp,
        "(#stamp < :stamp AND (attribute_exists(#restored) OR #origin <> :origin)) OR (#stamp = :stamp AND attribute_exists(#deleted))",
        { "#restored": SYNC_ATTRIBUTES.restored },
        {},
      ),
  };
};
