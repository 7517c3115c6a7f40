import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createDynamoDbSyncWriter } from "../adapters/dynamodb-sync-writer";
import { createSqsFifoDeadLetterQueue } from "../adapters/sqs-fifo-dead-letter-queue";
import { ssmTargetCredentials } from "../adapters/ssm-target-credentials";
import { failureOutcome, type RecordOutcome } from "../domain/shared/record-outcome";
import { applySyncChange } from "../domain/sync/apply-sync-change";
import { parseSyncMessage } from "../domain/sync/sync-message";
import { listEnv, optionalEnv, requireBooleanEnv, requireEnv, requirePositiveNumberEnv } from "./environment";
import { settleInGroupOrder } from "./fifo-group-order";
import { instrumented, logger, metrics, traced } from "./observability";
import { settleBatch } from "./record-outcome";

// Composition root: configuration and clients are built once per cold start.
const accessKeyParameter = optionalEnv("SYNC_TARGET_AK_PARAMETER");
const secretKeyParameter = optionalEnv("SYNC_TARGET_SK_PARAMETER");
const targetEndpoint = optionalEnv("SYNC_TARGET_ENDPOINT");
const peerStateTableName = optionalEnv("SYNC_PEER_STATE_TABLE_NAME");
// Two-way mode changes what the writer may overwrite (never an unstamped local change), and its
// tombstones live with the other side's stack: a stack half in two-way mode fails its cold start.
if (requireBooleanEnv("SYNC_TWO_WAY") !== (peerStateTableName !== undefined))
  throw new Error("SYNC_TWO_WAY=true needs SYNC_PEER_STATE_TABLE_NAME (the other side's SyncStateTable), and only then");

/**
 * The target partition's client: its region, its endpoint when given (a partition endpoint, or the
 * local cloud's), and credentials from the two SSM SecureStrings (cached for
 * SYNC_TARGET_KEYS_TTL_SECONDS) or, with no parameter names, the function's own role (same partition,
 * cross-account access granted by the target's resource policy or a role in the function's chain).
 */
const targetClient = traced(
  new DynamoDBClient({
    region: requireEnv("SYNC_TARGET_REGION"),
    ...(targetEndpoint !== undefined ? { endpoint: targetEndpoint } : {}),
    ...(accessKeyParameter !== undefined && secretKeyParameter !== undefined
      ? {
          credentials: ssmTargetCredentials(
            traced(new SSMClient({})),
            { accessKeyId: accessKeyParameter, secretAccessKey: secretKeyParameter },
            requirePositiveNumberEnv("SYNC_TARGET_KEYS_TTL_SECONDS") * 1000,
          ),
        }
      : {}),
  }),
);

const writer = createDynamoDbSyncWriter({
  targetClient,
  targetTableName: requireEnv("SYNC_TARGET_TABLE_NAME"),
  sourceClient: traced(new DynamoDBClient({})),
  sourceTableName: requireEnv("SYNC_SOURCE_TABLE_NAME"),
  stateTableName: requireEnv("SYNC_STATE_TABLE_NAME"),
  ...(peerStateTableName !== undefined ? { peerStateTableName } : {}),
  stateTtlSeconds: requirePositiveNumberEnv("SYNC_TOMBSTONE_TTL_DAYS") * 86_400,
  projection: { include: listEnv("SYNC_INCLUDE_ATTRIBUTES"), exclude: listEnv("SYNC_EXCLUDE_ATTRIBUTES") },
});
const deadLetters = createSqsFifoDeadLetterQueue(traced(new SQSClient({})), requireEnv("SYNC_WRITE_DLQ_URL"));

/** Message groups (items) written at once; a group's own messages are written one after another. */
const GROUPS_IN_FLIGHT = 10;

/**
 * The sync's FIFO queue -> the target table: each change applied under the rule (last writer wins by
 * stamp, deletes leave tombstones), in its item's order; stale and duplicate changes are no-ops, an
 * invalid message goes to the DLQ with its reason, a transient failure (throttling, an outage, refused
 * credentials) is retried with the rest of its group so that the FIFO queue holds the backlog in order.
 */
export const handler = instrumented("sync-write-changes", async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const lags: number[] = [];
  const settled = await settleInGroupOrder(event.Records, GROUPS_IN_FLIGHT, async (record): Promise<RecordOutcome> => {
    const message = parseSyncMessage(record.body);
    if (message.isErr()) return failureOutcome(message.error);
    const subject = { eventId: message.value.eventId, kind: message.value.kind, origin: message.value.stamp.origin };
    return applySyncChange(message.value, writer).match((written): RecordOutcome => {
      if (written === "written") lags.push(Math.max(0, Date.now() - message.value.stamp.time) / 1000);
      return { kind: written === "written" ? "stored" : "stale", subject };
    }, failureOutcome);
  });
  // End to end: from the change in the source (its stream time) to its write in the target.
  if (lags.length > 0) metrics.addMetric("SyncLagSeconds", MetricUnit.Seconds, Math.max(...lags));
  return settleBatch({ logger, metrics, deadLetters }, settled);
});
