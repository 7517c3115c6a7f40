import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { createDynamoDbSyncState } from "../adapters/dynamodb-sync-state";
import { createDynamoDbSyncTarget } from "../adapters/dynamodb-sync-table";
import { createSqsDeadLetterQueue } from "../adapters/sqs-dead-letter-queue";
import { createSqsFifoSender } from "../adapters/sqs-fifo-sender";
import { listEnv, optionalEnv, requireBooleanEnv, requireEnv, requireOneOfEnv, requirePositiveNumberEnv } from "./environment";
import { instrumented, logger, metrics, traced } from "./observability";
import { type ForwardDependencies, forwardStreamBatch } from "./sync-forward-batch";

// Composition root: configuration and clients are built once per cold start.
const twoWay = requireBooleanEnv("SYNC_TWO_WAY");
const dynamodb = traced(new DynamoDBClient({}));
const sqs = traced(new SQSClient({}));

const dependencies: Omit<ForwardDependencies, "now"> = {
  options: {
    origin: optionalEnv("SYNC_ORIGIN") ?? requireEnv("AWS_REGION"),
    twoWay,
    timeToLiveDeletions: requireOneOfEnv("SYNC_TTL_DELETIONS", ["replicate", "skip"] as const),
    projection: { include: listEnv("SYNC_INCLUDE_ATTRIBUTES"), exclude: listEnv("SYNC_EXCLUDE_ATTRIBUTES") },
  },
  maxMessageBytes: requirePositiveNumberEnv("SYNC_MAX_MESSAGE_BYTES"),
  queue: createSqsFifoSender(sqs, requireEnv("SYNC_QUEUE_URL")),
  deadLetters: createSqsDeadLetterQueue(sqs, requireEnv("SYNC_FORWARD_DLQ_URL")),
  ...(twoWay
    ? {
        ownSide: {
          table: createDynamoDbSyncTarget(dynamodb, requireEnv("SYNC_SOURCE_TABLE_NAME")),
          state: createDynamoDbSyncState(
            dynamodb,
            requireEnv("SYNC_STATE_TABLE_NAME"),
            requirePositiveNumberEnv("SYNC_TOMBSTONE_TTL_DAYS") * 86_400,
          ),
        },
      }
    : {}),
  reporting: { logger, metrics },
};

/**
 * The source table's stream -> the sync's FIFO queue, in stream order: each change is decided on
 * (forward, or skip: a TTL deletion skipped by configuration, the sync's own write in two-way mode),
 * forwarded with its item's MessageGroupId and its eventID as deduplication id (a claim check when
 * too big), and in two-way mode re-asserted on this side. An invalid record goes to the DLQ with its
 * reason; from the first record that fails transiently on, the rest of the batch is reported failed
 * so that Lambda retries from there.
 */
export const handler = instrumented(
  "sync-forward-changes",
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    forwardStreamBatch(event.Records, { ...dependencies, now: Date.now() }),
);
