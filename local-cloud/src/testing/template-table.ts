import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readTemplate } from "../cloudformation/read-template";
import { createTableFromProperties } from "../deploy/provision-storage";
import { findProjectRoot } from "../project-root";

/**
 * Creates a table exactly as template.yaml declares the resource `logicalId` (keys, indexes, stream,
 * TTL), under `tableName`, so that tests never drift from the template.
 */
export const createTableFromTemplate = async (client: DynamoDBClient, logicalId: string, tableName: string): Promise<void> => {
  const resource = readTemplate(join(findProjectRoot(), "template.yaml")).Resources[logicalId];
  if (!resource?.Properties || !resource.Type.startsWith("AWS::DynamoDB::"))
    throw new Error(`template.yaml has no DynamoDB table ${logicalId}`);
  await createTableFromProperties(client, resource.Properties, tableName);
};
