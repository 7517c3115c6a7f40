import { type AttributeValue, type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { ResultAsync } from "neverthrow";
import { refOfKey } from "../domain/recovery/parked-message";
import type { PrimaryRecordPages } from "../domain/recovery/recovery-ports";
import { classifyAwsError } from "./aws-error-classification";
import { REPLICA_TABLE } from "./dynamodb-replica-items";

/** Records per page: one page's entities are applied side by side, then its end is saved as the resume point. */
const PAGE_SIZE = 100;

/**
 * The primary's records of one kind through the replica table's ByEntityType index (partition
 * EntityType), filtered to the primary's region, a page at a time; the cursor is the page's
 * LastEvaluatedKey as JSON. Records of every status are listed: a tombstone applied to a secondary
 * that still has the entity deletes it there.
 */
export const createDynamoDbPrimaryRecordPages = (client: DynamoDBClient, tableName: string, primaryRegion: string): PrimaryRecordPages => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  const query = (entityType: string, startKey: Record<string, AttributeValue> | undefined, count: boolean) =>
    client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: REPLICA_TABLE.byTypeIndex,
        KeyConditionExpression: "EntityType = :type",
        FilterExpression: "#region = :primary",
        ExpressionAttributeNames: count
          ? { "#region": REPLICA_TABLE.sortKey }
          : { "#region": REPLICA_TABLE.sortKey, "#key": REPLICA_TABLE.partitionKey },
        ExpressionAttributeValues: { ":type": { S: entityType }, ":primary": { S: primaryRegion } },
        ...(count ? { Select: "COUNT" as const } : { ProjectionExpression: "#key", Limit: PAGE_SIZE }),
        ExclusiveStartKey: startKey,
      }),
    );
  return {
    count: (entityType) =>
      ResultAsync.fromPromise(
        (async () => {
          let total = 0;
          let startKey: Record<string, AttributeValue> | undefined;
          do {
            const answer = await query(entityType, startKey, true);
            total += answer.Count ?? 0;
            startKey = answer.LastEvaluatedKey;
          } while (startKey);
          return total;
        })(),
        toDomainError,
      ),
    page: (entityType, cursor) =>
      ResultAsync.fromPromise(query(entityType, cursor ? JSON.parse(cursor) : undefined, false), toDomainError).map((answer) => ({
        refs: (answer.Items ?? []).flatMap((item) => {
          const ref = refOfKey(item[REPLICA_TABLE.partitionKey]?.S ?? "");
          return ref.isOk() ? [ref.value] : [];
        }),
        cursor: answer.LastEvaluatedKey ? JSON.stringify(answer.LastEvaluatedKey) : undefined,
      })),
  };
};
