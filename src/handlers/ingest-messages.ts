import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createDynamoDbMessageWriter } from "../adapters/dynamodb-message-writer";
import { iotDataClientProvider } from "../adapters/iot-data-client-provider";
import { createIotDataPublisher } from "../adapters/iot-data-publisher";
import { createSqsDeadLetterQueue } from "../adapters/sqs-dead-letter-queue";
import { ingestMessages } from "../domain/messages/ingest-messages";
import { MESSAGE_ID_FORMATS } from "../domain/messages/message-id";
import { optionalEnv, requireBooleanEnv, requireEnv, requireNonNegativeNumberEnv, requireOneOfEnv } from "./environment";
import { instrumented, logger, metrics, traced } from "./observability";
import { settleBatch } from "./record-outcome";

// Composition root: configuration and clients are built once per cold start.
const tableName = requireEnv("MESSAGES_TABLE_NAME");
const deadLetterQueueUrl = requireEnv("MESSAGES_DLQ_URL");
const uuidKey = requireEnv("UUID_KEY");
const messageIdKey = requireEnv("MESSAGE_ID_KEY");
const messageIdFormat = requireOneOfEnv("MESSAGE_ID_FORMAT", MESSAGE_ID_FORMATS);
const retentionSeconds = requireNonNegativeNumberEnv("MESSAGE_RETENTION_DAYS") * 86_400;
const publishNotifications = requireBooleanEnv("PUBLISH_NOTIFICATIONS");

const store = createDynamoDbMessageWriter(traced(new DynamoDBClient({})), tableName);
const deadLetters = createSqsDeadLetterQueue(traced(new SQSClient({})), deadLetterQueueUrl);
const endpoints = { awsEndpointUrl: optionalEnv("AWS_ENDPOINT_URL"), iotDataEndpoint: optionalEnv("IOT_DATA_ENDPOINT") };
const notifications = publishNotifications ? createIotDataPublisher(iotDataClientProvider(endpoints, traced)) : undefined;

/**
 * The whole batch is parsed and written first (BatchWriteItem), stored messages are notified, then
 * the batch is settled in the one place every function shares: stored -> success; invalid or refused
 * for good -> the DLQ with the reason, then success; still unprocessed, transient, or stored but not
 * notified -> a batch item failure (storing it again is an idempotent overwrite).
 */
export const handler = instrumented("ingest-messages", async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const queued = event.Records.map((record) => ({
    record,
    sqsMessageId: record.messageId,
    body: record.body,
    sentTimestamp: record.attributes?.SentTimestamp,
  }));
  const context = { uuidKey, messageIdKey, messageIdFormat, retentionSeconds, now: Date.now() };
  const ingested = await ingestMessages(queued, context, { store, notifications });
  return settleBatch(
    { logger, metrics, deadLetters },
    ingested.map(({ message, outcome }) => ({ record: message.record, outcome })),
  );
});
