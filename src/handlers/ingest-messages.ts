import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { createDynamoDbMessageStore } from "../adapters/dynamodb-message-store";
import { createIotDataPublisher, iotDataClientProvider } from "../adapters/iot-data-publisher";
import { createSqsDeadLetterQueue } from "../adapters/sqs-dead-letter-queue";
import { notificationPayload, notificationTopic } from "../domain/messages/api-responses";
import { ingestMessages, type IngestOutcome } from "../domain/messages/ingest-messages";
import { optionalEnv, requireBooleanEnv, requireEnv, requireNonNegativeNumberEnv } from "./environment";

// Composition root: configuration and clients are built once per cold start.
const tableName = requireEnv("MESSAGES_TABLE_NAME");
const deadLetterQueueUrl = requireEnv("MESSAGES_DLQ_URL");
const uuidKey = requireEnv("UUID_KEY");
const messageIdKey = requireEnv("MESSAGE_ID_KEY");
const retentionSeconds = requireNonNegativeNumberEnv("MESSAGE_RETENTION_DAYS") * 86_400;
const publishNotifications = requireBooleanEnv("PUBLISH_NOTIFICATIONS");

const logger = new Logger({ serviceName: "message-ingestion" });
const store = createDynamoDbMessageStore(new DynamoDBClient({}), tableName);
const deadLetters = createSqsDeadLetterQueue(new SQSClient({}), deadLetterQueueUrl);
const notifications = createIotDataPublisher(iotDataClientProvider({ awsEndpointUrl: optionalEnv("AWS_ENDPOINT_URL"), iotDataEndpoint: optionalEnv("IOT_DATA_ENDPOINT") }));
const processor = new BatchProcessor(EventType.SQS);

/**
 * Outcomes, decided here and only here: stored -> success (after the optional notification; if that
 * publish fails the record is retried, and storing it again is an idempotent overwrite); invalid or
 * refused for good -> straight to the DLQ with the reason, then success; still unprocessed or a
 * transient failure -> thrown, so only that record is a batch item failure and SQS redelivers it
 * (and redrives it to the DLQ after maxReceiveCount).
 */
const handleOutcome = async (record: SQSRecord, outcome: IngestOutcome | undefined): Promise<void> => {
  if (outcome === undefined) throw new Error(`no ingestion outcome for message ${record.messageId}`);
  switch (outcome.kind) {
    case "stored": {
      const { uuid, messageId } = outcome.message;
      logger.info("message stored", { sqsMessageId: record.messageId, uuid, messageId });
      if (!publishNotifications) return;
      const published = await notifications.publish(notificationTopic(uuid), notificationPayload(uuid, messageId));
      if (published.isErr()) throw new Error(`stored, but the notification failed; will retry: ${published.error.message}`);
      return;
    }
    case "retry":
      logger.error("message not stored; will retry", { sqsMessageId: record.messageId, reason: outcome.reason });
      throw new Error(outcome.reason);
    case "invalid":
    case "rejected": {
      logger.warn("message rejected; sent to the dead-letter queue", { sqsMessageId: record.messageId, reason: outcome.reason });
      const sent = await deadLetters.send(record.body, outcome.reason);
      if (sent.isErr()) throw new Error(`could not dead-letter a rejected message (${outcome.reason}): ${sent.error.message}`);
      return;
    }
  }
};

/** The whole batch is parsed and written first (BatchWriteItem), then each record's outcome is reported. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const queued = event.Records.map((record) => ({ sqsMessageId: record.messageId, body: record.body, sentTimestamp: record.attributes?.SentTimestamp }));
  const outcomes = await ingestMessages(queued, { uuidKey, messageIdKey, retentionSeconds, now: Date.now() }, store);
  const byMessageId = new Map(event.Records.map((record, index) => [record.messageId, outcomes.isOk() ? outcomes.value[index] : undefined]));
  return processPartialResponse(event, (record: SQSRecord) => handleOutcome(record, byMessageId.get(record.messageId)), processor, {
    context,
    throwOnFullBatchFailure: false,
  });
};
