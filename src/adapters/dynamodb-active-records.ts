import { type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { ResultAsync } from "neverthrow";
import type { ActiveRecordSource } from "../domain/registry/sweep-ports";
import { classifyAwsError } from "./aws-error-classification";
import { STAMP_ATTRIBUTES } from "./dynamodb-ordering-condition";
import { itemToRecord, REPLICA_TABLE } from "./dynamodb-replica-items";

/** What the tombstone step needs of a record: its keys, status and stamp (not its fields). */
const PROJECTED = [
  REPLICA_TABLE.partitionKey,
  REPLICA_TABLE.sortKey,
  "EntityType",
  "EntityName",
  "Status",
  "CapturedAt",
  ...Object.values(STAMP_ATTRIBUTES).filter((name) => name !== STAMP_ATTRIBUTES.key),
];

/**
 * The replica's ACTIVE records of one kind from one region, read from the ByEntityType index (all of
 * a kind's records, every region's, filtered here to this region's live ones; the index sorts by name
 * then region, so no key condition can pick a region). Reads cost the whole kind's records.
 */
export const createDynamoDbActiveRecords = (client: DynamoDBClient, tableName: string): ActiveRecordSource => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  const names = Object.fromEntries(PROJECTED.map((name, i) => [`#p${i}`, name]));
  return {
    activeRecords: (entityType, sourceRegion) =>
      ResultAsync.fromPromise(
        (async () => {
          const records = [];
          let startKey: QueryCommand["input"]["ExclusiveStartKey"];
          do {
            const page = await client.send(
              new QueryCommand({
                TableName: tableName,
                IndexName: REPLICA_TABLE.byTypeIndex,
                KeyConditionExpression: "#type = :type",
                FilterExpression: "#region = :region AND #status = :active",
                ProjectionExpression: Object.keys(names).join(", "),
                ExpressionAttributeNames: { ...names, "#type": "EntityType", "#region": REPLICA_TABLE.sortKey, "#status": "Status" },
                ExpressionAttributeValues: { ":type": { S: entityType }, ":region": { S: sourceRegion }, ":active": { S: "ACTIVE" } },
                ExclusiveStartKey: startKey,
              }),
            );
            records.push(...(page.Items ?? []).map((item) => itemToRecord(unmarshall(item))));
            startKey = page.LastEvaluatedKey;
          } while (startKey);
          return records;
        })(),
        toDomainError,
      ),
  };
};
