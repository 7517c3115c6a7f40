import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { SQSEvent } from "aws-lambda";

/**
 * Baseline for the capture figure: what the public registry-replication samples do, one registry
 * event per invocation (event source BatchSize 1), read-then-write: GetItem the stored copy, compare
 * versions, then PutItem (or DeleteItem for a delete), one call after the other. No validation, no
 * dead-letter queue, no metrics: the baseline is the cheapest version of the naive design.
 */
const client = new DynamoDBClient({});
const tableName = process.env["REPLICA_TABLE_NAME"] ?? "";
const region = process.env["AWS_REGION"] ?? "";

interface ThingEvent {
  readonly eventId: string;
  readonly timestamp: number;
  readonly operation: string;
  readonly thingName: string;
  readonly thingId: string;
  readonly versionNumber: number;
  readonly thingTypeName: string | null;
  readonly attributes: Record<string, string>;
}

export const handler = async (event: SQSEvent): Promise<void> => {
  for (const record of event.Records) {
    const thing = JSON.parse(record.body) as ThingEvent;
    const key = { EntityKey: { S: `thing#${thing.thingName}` }, AWSRegion: { S: region } };
    const stored = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    const storedVersion = Number(stored.Item?.["OrderVersion"]?.N ?? 0);
    if (stored.Item && storedVersion >= thing.versionNumber) continue;
    if (thing.operation === "DELETED") {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
      continue;
    }
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(
          {
            EntityKey: `thing#${thing.thingName}`,
            AWSRegion: region,
            EntityType: "thing",
            EntityName: thing.thingName,
            NameRegion: `${thing.thingName}#${region}`,
            ThingId: thing.thingId,
            ThingTypeName: thing.thingTypeName,
            Attributes: thing.attributes,
            OrderVersion: thing.versionNumber,
            OrderTimestamp: thing.timestamp,
            OrderEventId: thing.eventId,
          },
          { removeUndefinedValues: true },
        ),
      }),
    );
  }
};
