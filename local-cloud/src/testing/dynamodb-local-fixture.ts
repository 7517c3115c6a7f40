import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDbLocal, startDynamoDbLocal } from "../dynamodb-local";

/** One DynamoDB Local per test file, started in beforeAll and stopped in afterAll. */
export const useDynamoDbLocal = (): { client: (region?: string) => DynamoDBClient } => {
  let dynamo: DynamoDbLocal | undefined;
  const clients: DynamoDBClient[] = [];
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await dynamo?.stop();
  });
  return {
    client: (region = "us-east-1") => {
      if (!dynamo) throw new Error("DynamoDB Local is not started yet (use the client inside a test or hook)");
      const client = new DynamoDBClient({
        region,
        endpoint: dynamo.endpoint,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      clients.push(client);
      return client;
    },
  };
};
