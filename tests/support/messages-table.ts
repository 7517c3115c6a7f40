import { CreateTableCommand, QueryCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { MESSAGES_TABLE } from "../../src/adapters/dynamodb-message-store";

/** Creates the messages table as template.yaml declares it (uuid / messageId keys, TTL on expiresAt). */
export const createMessagesTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: MESSAGES_TABLE.partitionKey, AttributeType: "S" },
        { AttributeName: MESSAGES_TABLE.sortKey, AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: MESSAGES_TABLE.partitionKey, KeyType: "HASH" },
        { AttributeName: MESSAGES_TABLE.sortKey, KeyType: "RANGE" },
      ],
    }),
  );
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: MESSAGES_TABLE.ttlAttribute, Enabled: true } }));
};

/** Every stored item of one uuid, oldest first, as plain objects. */
export const storedMessages = async (client: DynamoDBClient, tableName: string, uuid: string): Promise<Record<string, unknown>[]> => {
  const { Items = [] } = await client.send(
    new QueryCommand({ TableName: tableName, KeyConditionExpression: "#u = :u", ExpressionAttributeNames: { "#u": "uuid" }, ExpressionAttributeValues: { ":u": { S: uuid } } }),
  );
  return Items.map((item) => unmarshall(item));
};
