import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { SQSEvent } from "aws-lambda";

/**
 * Baseline for the ingestion figure: what the public message-API sample does, one message per
 * invocation (event source BatchSize 1): parse the body and PutItem it under `{uuid, messageId}`
 * with the sample's unpadded id `{epochTime}-{SQS message id}`. No validation, no dead-letter queue,
 * no metrics, no notification: the cheapest version of the naive design.
 */
const client = new DynamoDBClient({});
const tableName = process.env["MESSAGES_TABLE_NAME"] ?? "";

export const handler = async (event: SQSEvent): Promise<void> => {
  for (const record of event.Records) {
    const body = JSON.parse(record.body) as Record<string, unknown>;
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({ uuid: String(body["thingName"]), messageId: `${body["epochTime"]}-${record.messageId}`, body }),
      }),
    );
  }
};
