import { type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { createTableFromTemplate } from "local-cloud/testing";

/** Creates the messages table as template.yaml declares it (uuid / messageId keys, TTL on expiresAt). */
export const createMessagesTable = (client: DynamoDBClient, tableName: string): Promise<void> =>
  createTableFromTemplate(client, "MessagesTable", tableName);

/** Every stored item of one uuid, oldest first, as plain objects. */
export const storedMessages = async (client: DynamoDBClient, tableName: string, uuid: string): Promise<Record<string, unknown>[]> => {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "#u = :u",
      ExpressionAttributeNames: { "#u": "uuid" },
      ExpressionAttributeValues: { ":u": { S: uuid } },
    }),
  );
  return Items.map((item) => unmarshall(item));
};
