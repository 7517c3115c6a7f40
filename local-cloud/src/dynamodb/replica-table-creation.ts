import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  ScanCommand,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { AwsError } from "../endpoint/aws-error";
import type { DynamoDbLocalClients } from "./dynamodb-local-clients";
import type { ItemImage } from "./item-fingerprint";

/** The table in one region, or undefined when that region has no table of that name. */
export const describeTableIn = async (
  clients: DynamoDbLocalClients,
  region: string,
  tableName: string,
): Promise<TableDescription | undefined> => {
  try {
    return (await clients.tables(region).send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

/**
 * AWS only lets a table with a NEW_AND_OLD_IMAGES stream become global (replication is built on it);
 * refusing the others keeps local templates honest.
 */
export const assertReplicable = (table: TableDescription, region: string): void => {
  const stream = table.StreamSpecification;
  if (stream?.StreamEnabled !== true || stream.StreamViewType !== "NEW_AND_OLD_IMAGES") {
    throw new AwsError(
      "ValidationException",
      `Table ${table.TableName ?? ""} in ${region} must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES to add replicas.`,
    );
  }
};

const isProvisioned = (table: TableDescription): boolean =>
  (table.BillingModeSummary?.BillingMode ??
    ((table.ProvisionedThroughput?.ReadCapacityUnits ?? 0) > 0 ? "PROVISIONED" : "PAY_PER_REQUEST")) === "PROVISIONED";

/** The CreateTable request that recreates `table` elsewhere: keys, indexes, billing and a NEW_AND_OLD_IMAGES stream. */
export const replicaCreateTableInput = (table: TableDescription): CreateTableCommandInput => {
  const provisioned = isProvisioned(table);
  const throughput = (read: number | undefined, write: number | undefined) =>
    provisioned
      ? { ProvisionedThroughput: { ReadCapacityUnits: Math.max(1, read ?? 1), WriteCapacityUnits: Math.max(1, write ?? 1) } }
      : {};
  return {
    TableName: table.TableName,
    AttributeDefinitions: table.AttributeDefinitions,
    KeySchema: table.KeySchema,
    BillingMode: provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
    ...throughput(table.ProvisionedThroughput?.ReadCapacityUnits, table.ProvisionedThroughput?.WriteCapacityUnits),
    ...(table.GlobalSecondaryIndexes?.length
      ? {
          GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
            ...throughput(index.ProvisionedThroughput?.ReadCapacityUnits, index.ProvisionedThroughput?.WriteCapacityUnits),
          })),
        }
      : {}),
    ...(table.LocalSecondaryIndexes?.length
      ? {
          LocalSecondaryIndexes: table.LocalSecondaryIndexes.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
          })),
        }
      : {}),
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
};

/** Creates the replica table in `targetRegion` like the source one, TTL setting included. */
export const createReplicaTable = async (
  clients: DynamoDbLocalClients,
  sourceRegion: string,
  targetRegion: string,
  source: TableDescription,
): Promise<void> => {
  const tableName = source.TableName ?? "";
  await clients.tables(targetRegion).send(new CreateTableCommand(replicaCreateTableInput(source)));
  const ttl = await clients.tables(sourceRegion).send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  const attributeName = ttl.TimeToLiveDescription?.AttributeName;
  if (attributeName && (status === "ENABLED" || status === "ENABLING")) {
    await clients
      .tables(targetRegion)
      .send(
        new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: attributeName } }),
      );
  }
};

/** Every item of a table, page by page (consistent reads, so a copy starts from the latest state). */
export async function* scanItems(clients: DynamoDbLocalClients, region: string, tableName: string): AsyncGenerator<ItemImage> {
  let exclusiveStartKey: ItemImage | undefined;
  do {
    const page = await clients.tables(region).send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) yield item;
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
}
