import { CreateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { REPLICA_TABLE } from "../../src/adapters/dynamodb-replica-store";

/** Creates the replica table as template.yaml declares it (keys, index, stream, TTL). */
export const createReplicaTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: REPLICA_TABLE.partitionKey, AttributeType: "S" },
        { AttributeName: REPLICA_TABLE.sortKey, AttributeType: "S" },
        { AttributeName: "EntityType", AttributeType: "S" },
        { AttributeName: REPLICA_TABLE.byTypeIndexSortKey, AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: REPLICA_TABLE.partitionKey, KeyType: "HASH" },
        { AttributeName: REPLICA_TABLE.sortKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: REPLICA_TABLE.byTypeIndex,
          KeySchema: [
            { AttributeName: "EntityType", KeyType: "HASH" },
            { AttributeName: REPLICA_TABLE.byTypeIndexSortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: REPLICA_TABLE.ttlAttribute, Enabled: true } }));
};
