import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { ResultAsync } from "neverthrow";
import type { EntityRef } from "../domain/recovery/entity-ref";
import type { PrimaryRecords } from "../domain/recovery/recovery-ports";
import { entityKey } from "../domain/registry/replica-record";
import { classifyAwsError } from "./aws-error-classification";
import { itemToRecord, REPLICA_TABLE } from "./dynamodb-replica-items";

/**
 * The records one source region (the primary) wrote to the replica table, read by key with a
 * strongly consistent GetItem, so the applier sees the newest record this region's replica holds,
 * not the stream image that woke it up.
 */
export const createDynamoDbPrimaryRecords = (client: DynamoDBClient, tableName: string, primaryRegion: string): PrimaryRecords => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  return {
    read: (ref: EntityRef) =>
      ResultAsync.fromPromise(
        client.send(
          new GetItemCommand({
            TableName: tableName,
            Key: marshall({
              [REPLICA_TABLE.partitionKey]: entityKey(ref.entityType, ref.entityName),
              [REPLICA_TABLE.sortKey]: primaryRegion,
            }),
            ConsistentRead: true,
          }),
        ),
        toDomainError,
      ).map(({ Item }) => (Item ? itemToRecord(unmarshall(Item)) : undefined)),
  };
};
