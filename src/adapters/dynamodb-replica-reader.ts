import { type DynamoDBClient, QueryCommand, type QueryCommandOutput } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { ResultAsync } from "neverthrow";
import type { ReplicaRecord } from "../domain/registry/replica-record";
import type { ReplicaReader } from "../domain/verification/verification-ports";
import { classifyAwsError } from "./aws-error-classification";
import { itemToRecord, REPLICA_TABLE } from "./dynamodb-replica-items";

/**
 * The replica table read kind by kind through the ByEntityType index (partition EntityType), all pages,
 * keeping only the regions asked for: what the operator commands compare and measure.
 */
export const createDynamoDbReplicaReader = (client: DynamoDBClient, tableName: string): ReplicaReader => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  const query = async (entityType: string, regions: readonly string[]): Promise<ReplicaRecord[]> => {
    const records: ReplicaRecord[] = [];
    const regionValues = Object.fromEntries(regions.map((region, index) => [`:r${index}`, region]));
    let exclusiveStartKey: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: REPLICA_TABLE.byTypeIndex,
          KeyConditionExpression: "EntityType = :type",
          FilterExpression: `#region IN (${Object.keys(regionValues).join(", ")})`,
          ExpressionAttributeNames: { "#region": REPLICA_TABLE.sortKey },
          ExpressionAttributeValues: marshall({ ":type": entityType, ...regionValues }),
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) records.push(itemToRecord(unmarshall(item)));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return records;
  };
  return {
    recordsOfKind: (entityType, regions) => ResultAsync.fromPromise(query(entityType, regions), toDomainError),
  };
};
