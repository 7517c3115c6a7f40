import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import type { DeadLetterQueue } from "../domain/shared/dead-letter-queue";
import { asTransient, type DomainError, describeError } from "../domain/shared/errors";
import type { RecordOutcome } from "../domain/shared/record-outcome";

/** The metrics every batch function publishes per invocation (EMF, dimension `service` = the function's). */
export const OUTCOME_METRICS = {
  stored: "RecordsStored",
  stale: "RecordsStale",
  deadLettered: "RecordsDeadLettered",
  retried: "RecordsRetried",
} as const satisfies Record<RecordOutcome["kind"], string>;

/** Failures whose credentials or permissions were refused (retried, so also in RecordsRetried): an IAM fault. */
const ACCESS_DENIED_METRIC = "DependencyAccessDenied";

/** Counts the failures that were refused access, so that a bad IAM deployment raises its alarm at once. */
export const countAccessDenied = (metrics: Metrics, errors: readonly DomainError[]): void => {
  const denied = errors.filter((error) => error.kind === "DependencyAccessDenied").length;
  if (denied > 0) metrics.addMetric(ACCESS_DENIED_METRIC, MetricUnit.Count, denied);
};

export interface OutcomeReporting {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly deadLetters: DeadLetterQueue;
}

export interface SettledRecord {
  readonly record: SQSRecord;
  readonly outcome: RecordOutcome;
}

/**
 * The batch action of one outcome: stored and stale are done; dead-lettered goes to the DLQ with its
 * reason as `failureReason` and is then done too; retried stays a failure. A record that cannot be
 * dead-lettered is retried instead (SQS redrives it to the same DLQ if that keeps failing).
 */
const act = async (deadLetters: DeadLetterQueue, { record, outcome }: SettledRecord): Promise<RecordOutcome> => {
  if (outcome.kind !== "deadLettered") return outcome;
  const sent = await deadLetters.send(record.body, describeError(outcome.error));
  if (sent.isOk()) return outcome;
  return { kind: "retried", error: asTransient(sent.error, `could not dead-letter (${describeError(outcome.error)})`) };
};

const log = (logger: Logger, record: SQSRecord, outcome: RecordOutcome): void => {
  const messageId = record.messageId;
  switch (outcome.kind) {
    case "stored":
      logger.info("record stored", { messageId, ...outcome.subject });
      return;
    case "stale":
      logger.info("record stale: the target already holds it or something newer", { messageId, ...outcome.subject });
      return;
    case "deadLettered":
      logger.warn("record dead-lettered", { messageId, reason: describeError(outcome.error) });
      return;
    case "retried":
      logger.error("record failed; it will be retried", { messageId, reason: describeError(outcome.error), ...outcome.subject });
      return;
  }
};

/**
 * Settles a whole SQS batch, in one place for every function: each record's outcome becomes its
 * batch action, is logged and counted, and every retried record is reported as a batch item failure
 * (ReportBatchItemFailures), so that SQS redelivers only those and redrives them to the DLQ after
 * maxReceiveCount. The counts are published with the invocation's other metrics.
 */
export const settleBatch = async (reporting: OutcomeReporting, settled: readonly SettledRecord[]): Promise<SQSBatchResponse> => {
  const finals = await Promise.all(
    settled.map(async (entry) => ({ record: entry.record, outcome: await act(reporting.deadLetters, entry) })),
  );
  for (const [kind, name] of Object.entries(OUTCOME_METRICS)) {
    reporting.metrics.addMetric(name, MetricUnit.Count, finals.filter(({ outcome }) => outcome.kind === kind).length);
  }
  countAccessDenied(
    reporting.metrics,
    finals.flatMap(({ outcome }) => (outcome.kind === "retried" ? [outcome.error] : [])),
  );
  for (const { record, outcome } of finals) log(reporting.logger, record, outcome);
  const retried = finals.filter(({ outcome }) => outcome.kind === "retried");
  return { batchItemFailures: retried.map(({ record }) => ({ itemIdentifier: record.messageId })) };
};
