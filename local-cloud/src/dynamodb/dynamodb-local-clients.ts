import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { SHARED_ACCESS_KEY } from "./dynamodb-forwarder";

/** SDK clients talking straight to DynamoDB Local, one pair per region, under the shared access key. */
export interface DynamoDbLocalClients {
  tables(region: string): DynamoDBClient;
  streams(region: string): DynamoDBStreamsClient;
  destroy(): void;
}

/**
 * The replicator works below the proxy with ordinary SDK clients; using the same access key as the
 * proxy's rewrite makes it see exactly the tables clients see.
 */
export const createDynamoDbLocalClients = (dynamoDbLocalEndpoint: string): DynamoDbLocalClients => {
  const credentials = { accessKeyId: SHARED_ACCESS_KEY, secretAccessKey: SHARED_ACCESS_KEY };
  const tableClients = new Map<string, DynamoDBClient>();
  const streamClients = new Map<string, DynamoDBStreamsClient>();
  return {
    tables: (region) => {
      let client = tableClients.get(region);
      if (!client) {
        client = new DynamoDBClient({ region, endpoint: dynamoDbLocalEndpoint, credentials, maxAttempts: 2 });
        tableClients.set(region, client);
      }
      return client;
    },
    streams: (region) => {
      let client = streamClients.get(region);
      if (!client) {
        client = new DynamoDBStreamsClient({ region, endpoint: dynamoDbLocalEndpoint, credentials, maxAttempts: 2 });
        streamClients.set(region, client);
      }
      return client;
    },
    destroy: () => {
      for (const client of tableClients.values()) client.destroy();
      for (const client of streamClients.values()) client.destroy();
      tableClients.clear();
      streamClients.clear();
    },
  };
};
