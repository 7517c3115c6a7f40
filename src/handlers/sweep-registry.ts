import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IoTClient } from "@aws-sdk/client-iot";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, ScheduledEvent } from "aws-lambda";
import { createDynamoDbActiveRecords } from "../adapters/dynamodb-active-records";
import { createDynamoDbReplicaStore } from "../adapters/dynamodb-replica-store";
import { createDynamoDbSweepCheckpointStore } from "../adapters/dynamodb-sweep-checkpoint";
import { iotDataClientProvider } from "../adapters/iot-data-client-provider";
import { createIotRegistrySnapshotReader } from "../adapters/iot-registry-snapshot-reader";
import { createSqsDeadLetterQueue } from "../adapters/sqs-dead-letter-queue";
import { BACKLOG } from "../domain/pacing/pacer";
import { sweptKinds } from "../domain/registry/sweep-plan";
import { type SweepReport, type SweepRun, sweepRegistry } from "../domain/registry/sweep-registry";
import { describeError } from "../domain/shared/errors";
import { apiPacingFromEnvironment } from "./api-pacing";
import { optionalEnv, requireBooleanEnv, requireEnv, requirePositiveNumberEnv } from "./environment";
import { instrumented, logger, metrics, traced } from "./observability";
import { countAccessDenied } from "./record-outcome";

// Composition root: configuration and clients are built once per cold start.
const sourceRegion = requireEnv("AWS_REGION");
const tableName = requireEnv("REPLICA_TABLE_NAME");
const checkpointTableName = requireEnv("SWEEP_CHECKPOINT_TABLE_NAME");
const deadLetterQueueUrl = requireEnv("CAPTURE_DLQ_URL");
const tombstoneTtlSeconds = requirePositiveNumberEnv("TOMBSTONE_TTL_DAYS") * 86_400;
const withShadows = requireBooleanEnv("SWEEP_SHADOWS");

const dynamodb = traced(new DynamoDBClient({}));
// The sweep's reads are a backlog: they share the region's IoT budgets, behind live changes (an applier's in a secondary).
const paced = apiPacingFromEnvironment(dynamodb, BACKLOG);
const shadows = withShadows
  ? iotDataClientProvider({ awsEndpointUrl: optionalEnv("AWS_ENDPOINT_URL"), iotDataEndpoint: optionalEnv("IOT_DATA_ENDPOINT") }, paced)
  : undefined;
const reader = createIotRegistrySnapshotReader(paced(new IoTClient({})), 100, shadows);
const store = createDynamoDbReplicaStore(dynamodb, tableName);
const records = createDynamoDbActiveRecords(dynamodb, tableName);
const checkpoints = createDynamoDbSweepCheckpointStore(dynamodb, checkpointTableName, sourceRegion);
const deadLetters = createSqsDeadLetterQueue(traced(new SQSClient({})), deadLetterQueueUrl);
const kinds = sweptKinds(withShadows);

/**
 * A new page (or the next kind's tombstones) starts only while more than this share of the
 * invocation's time is left: a page of 100 things with their principals (and shadows) must finish
 * before the timeout, after which its checkpoint would be lost and the page listed again.
 */
const RESERVE_SHARE = 1 / 3;

const publish = (report: SweepReport): void => {
  metrics.addMetric("SweepRecordsStored", MetricUnit.Count, report.listed.stored);
  metrics.addMetric("SweepRecordsStale", MetricUnit.Count, report.listed.stale);
  metrics.addMetric("SweepItemsRejected", MetricUnit.Count, report.listed.rejected);
  metrics.addMetric("SweepTombstones", MetricUnit.Count, report.tombstones.stored);
  if (report.complete) metrics.addMetric("SweepPassDurationMs", MetricUnit.Milliseconds, Date.now() - report.passStartedAt);
};

/**
 * One scheduled run of the registry sweep of this region (see `sweepRegistry`): lists into the
 * replica for as long as the invocation has time, then, once a pass has listed everything, writes the
 * tombstones of what it did not see. Every item it could not store goes to the capture DLQ with its
 * reason (the capture DLQ alarm covers both). A failure (throttling that outlasted the SDK's retries,
 * a missing table) is thrown after logging, so Lambda retries the invocation, which resumes from the
 * checkpoint, and the failure shows in the function's Errors.
 */
export const handler = instrumented("sweep-registry", async (event: ScheduledEvent, context: Context): Promise<SweepRun> => {
  const budget = context.getRemainingTimeInMillis();
  const now = Date.now();
  const result = await sweepRegistry({
    reader,
    store,
    records,
    checkpoints,
    context: { sourceRegion, now, tombstoneTtlSeconds },
    kinds,
    hasTimeLeft: () => context.getRemainingTimeInMillis() > budget * RESERVE_SHARE,
    holder: context.awsRequestId,
    // The invocation cannot outlive its timeout: a crashed run's lease lapses by then.
    leaseUntil: now + budget,
  });
  if (result.isErr()) {
    countAccessDenied(metrics, [result.error]);
    logger.error("registry sweep stopped; the next invocation resumes from the checkpoint", { reason: describeError(result.error) });
    throw new Error(`registry sweep of ${sourceRegion} stopped: ${describeError(result.error)}`);
  }
  if (!result.value.ran) {
    logger.info("another run of the registry sweep is under way; this one does nothing");
    return result.value;
  }
  const report = result.value;
  for (const reason of report.rejected) {
    const body = JSON.stringify({
      source: "registry-sweep",
      region: sourceRegion,
      passStartedAt: report.passStartedAt,
      rule: event.resources,
    });
    const sent = await deadLetters.send(body, reason);
    if (sent.isErr()) logger.error("a rejected item could not be dead-lettered", { reason, error: describeError(sent.error) });
    logger.warn("listed item rejected", { reason });
  }
  publish(report);
  logger.info(report.complete ? "registry sweep pass complete" : "registry sweep pass continues in the next invocation", {
    ...report,
    rejected: report.rejected.length,
  });
  return report;
});
