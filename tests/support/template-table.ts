import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { join } from "node:path";
import { readTemplate } from "../../src/local/cloudformation/read-template";
import { createTableFromProperties } from "../../src/local/deploy/provision-storage";

/**
 * Creates a table exactly as template.yaml declares the resource `logicalId` (keys, indexes, stream,
 * TTL), under `tableName`, so that tests never drift from the template.
 */
export const createTableFromTemplate = async (client: DynamoDBClient, logicalId: string, tableName: string): Promise<void> => {
  const resource = readTemplate(join(__dirname, "..", "..", "template.yaml")).Resources[logicalId];
  if (!resource?.Properties || !resource.Type.startsWith("AWS::DynamoDB::")) throw new Error(`template.yaml has no DynamoDB table ${logicalId}`);
  await createTableFromProperties(client, resource.Properties, tableName);
};
