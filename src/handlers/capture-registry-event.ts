import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { createDynamoDbReplicaStore } from "../adapters/dynamodb-replica-store";
import { createSqsDeadLetterQueue } from "../adapters/sqs-dead-letter-queue";
import { captureRegistryEvent } from "../domain/registry/capture-registry-event";
import { isRetryable } from "../domain/shared/errors";
import { requireEnv, requirePositiveNumberEnv } from "./environment";

// Composition root: configuration and clients are built once per cold start.
const sourceRegion = requireEnv("AWS_REGION");
const tableName = requireEnv("REPLICA_TABLE_NAME");
const deadLetterQueueUrl = requireEnv("CAPTURE_DLQ_URL");
const tombstoneTtlSeconds = requirePositiveNumberEnv("TOMBSTONE_TTL_DAYS") * 86_400;

const logger = new Logger({ serviceName: "registry-capture" });
const store = createDynamoDbReplicaStore(new DynamoDBClient({}), tableName);
const deadLetters = createSqsDeadLetterQueue(new SQSClient({}), deadLetterQueueUrl);
const processor = new BatchProcessor(EventType.SQS);

/**
 * One registry event per SQS message. Outcomes, decided here and only here:
 * applied or stale -> success; invalid input or a permanent refusal -> straight to the DLQ with the
 * reason, then success (retrying cannot help); a transient failure -> thrown, so only this record is
 * reported as a batch item failure and SQS redelivers it (and redrives it to the DLQ after
 * maxReceiveCount).
 */
const recordHandler = async (record: SQSRecord): Promise<void> => {
  const captured = await captureRegistryEvent(record.body, { sourceRegion, now: Date.now(), tombstoneTtlSeconds }, store);
  if (captured.isOk()) {
    const { outcome, record: replica } = captured.value;
    logger.info("registry event captured", { messageId: record.messageId, outcome, entityType: replica.entityType, entityName: replica.entityName });
    return;
  }
  const error = captured.error;
  if (isRetryable(error)) {
    logger.error("registry event capture failed; will retry", { messageId: record.messageId, reason: error.message });
    throw new Error(`${error.kind}: ${error.message}`);
  }
  const reason = `${error.kind}: ${error.message}`;
  logger.warn("registry event rejected; sent to the dead-letter queue", { messageId: record.messageId, reason });
  const sent = await deadLetters.send(record.body, reason);
  if (sent.isErr()) throw new Error(`could not dead-letter a rejected event (${reason}): ${sent.error.message}`);
};

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
