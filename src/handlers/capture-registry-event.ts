import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createDynamoDbReplicaStore } from "../adapters/dynamodb-replica-store";
import { createSqsDeadLetterQueue } from "../adapters/sqs-dead-letter-queue";
import { captureRegistryEvent } from "../domain/registry/capture-registry-event";
import { requireEnv, requirePositiveNumberEnv } from "./environment";
import { mapConcurrently } from "./map-concurrently";
import { instrumented, logger, metrics, traced } from "./observability";
import { settleBatch } from "./record-outcome";

// Composition root: configuration and clients are built once per cold start.
const sourceRegion = requireEnv("AWS_REGION");
const tableName = requireEnv("REPLICA_TABLE_NAME");
const deadLetterQueueUrl = requireEnv("CAPTURE_DLQ_URL");
const tombstoneTtlSeconds = requirePositiveNumberEnv("TOMBSTONE_TTL_DAYS") * 86_400;

const store = createDynamoDbReplicaStore(traced(new DynamoDBClient({})), tableName);
const deadLetters = createSqsDeadLetterQueue(traced(new SQSClient({})), deadLetterQueueUrl);

/** Conditional writes in flight at once: a default batch (CaptureBatchSize 25) all at once, a larger one 25 at a time. */
const WRITES_IN_FLIGHT = 25;

/**
 * One registry event per SQS message, each captured on its own (one conditional write), then the
 * batch is settled in the one place every function shares: stored or stale -> success; invalid or
 * refused for good -> the DLQ with the reason, then success; transient -> a batch item failure.
 */
export const handler = instrumented(
  "capture-registry-event",
  async (event: SQSEvent): Promise<SQSBatchResponse> =>
    settleBatch(
      { logger, metrics, deadLetters },
      await mapConcurrently(event.Records, WRITES_IN_FLIGHT, async (record) => ({
        record,
        outcome: await captureRegistryEvent(record.body, { sourceRegion, now: Date.now(), tombstoneTtlSeconds }, store),
      })),
    ),
);
