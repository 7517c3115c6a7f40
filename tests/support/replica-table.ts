import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTableFromTemplate } from "local-cloud/testing";

/** Creates the replica table as template.yaml declares it (keys, index, stream, TTL). */
export const createReplicaTable = (client: DynamoDBClient, tableName: string): Promise<void> =>
  createTableFromTemplate(client, "ReplicaTable", tableName);
