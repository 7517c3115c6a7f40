import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import type { FifoMessage } from "../adapters/sqs-fifo-sender";
import type { DeadLetterQueue } from "../domain/shared/dead-letter-queue";
import { asTransient, type DependencyError, DependencyUnavailable, type DomainError, describeError } from "../domain/shared/errors";
import { type FailedOutcome, failureOutcome, type RecordOutcome } from "../domain/shared/record-outcome";
import { decideForward, type ForwardOptions, type ItemHistory } from "../domain/sync/forward-decision";
import { reassertLocalChange } from "../domain/sync/reassert-local-change";
import { parseStreamChange, type StreamChange } from "../domain/sync/stream-change";
import { deduplicationId, messageGroupId, serializeSyncMessage } from "../domain/sync/sync-message";
import type { IssuedStamps, OwnTable, TombstoneStore } from "../domain/sync/sync-ports";
import { countAccessDenied, OUTCOME_METRICS } from "./record-outcome";

export interface ForwardDependencies {
  readonly options: ForwardOptions;
  readonly maxMessageBytes: number;
  readonly queue: { send(messages: readonly FifoMessage[]): Promise<(DependencyError | undefined)[]> };
  readonly deadLetters: DeadLetterQueue;
  /** Two-way mode: this side's table and sync state, for the re-assertion of local changes. */
  readonly ownSide?: { readonly table: OwnTable; readonly state: TombstoneStore & IssuedStamps };
  readonly reporting: { readonly logger: Logger; readonly metrics: Metrics };
  readonly now: number;
}

type Step = { readonly outcome: RecordOutcome; readonly message?: FifoMessage; readonly claimCheck?: boolean };

const failed = (error: DomainError): Step => ({ outcome: failureOutcome(error) });

/** What this side knows of the item (two-way): its tombstone and the last stamp issued for it. */
const historyOf = async (change: StreamChange, state: TombstoneStore & IssuedStamps): Promise<ItemHistory | DomainError> => {
  const tombstone = await state.newest(change.key);
  if (tombstone.isErr()) return tombstone.error;
  const lastIssued = await state.last(change.key);
  if (lastIssued.isErr()) return lastIssued.error;
  return { ...(tombstone.value ? { tombstone: tombstone.value } : {}), ...(lastIssued.value ? { lastIssued: lastIssued.value } : {}) };
};

/** Decides one record and does its side's part (two-way: remember the stamp, re-assert); the send comes after. */
const prepare = async (record: DynamoDBRecord, deps: ForwardDependencies): Promise<Step> => {
  const parsed = parseStreamChange(record);
  if (parsed.isErr()) return failed(parsed.error);
  const change = parsed.value;
  const history = deps.ownSide ? await historyOf(change, deps.ownSide.state) : {};
  if ("kind" in history) return failed(history);
  const decided = decideForward(change, deps.options, history);
  if (decided.isErr()) return failed(decided.error);
  const decision = decided.value;
  if (decision.kind === "skip") return { outcome: { kind: "stale", subject: { eventId: change.eventId, skipped: decision.reason } } };
  if (deps.ownSide && decision.issued) {
    const remembered = await deps.ownSide.state.remember(change.key, decision.issued);
    if (remembered.isErr()) return failed(remembered.error);
  }
  if (deps.ownSide && decision.reassert) {
    const { change: local, imageStamp } = decision.reassert;
    const reasserted = await reassertLocalChange({ table: deps.ownSide.table, tombstones: deps.ownSide.state }, local, imageStamp);
    if (reasserted.isErr()) return failed(reasserted.error);
  }
  const { body, claimCheck } = serializeSyncMessage(decision.message, deps.maxMessageBytes);
  return {
    outcome: { kind: "stored", subject: { eventId: change.eventId, kind: change.kind } },
    message: { body, groupId: messageGroupId(change.key), deduplicationId: deduplicationId(change.eventId) },
    claimCheck,
  };
};

const SHARD_BLOCKED = new DependencyUnavailable("stream shard", "an earlier record of this batch failed; retried after it, in order");

/**
 * Forwards one stream batch in order. Records are prepared one by one until one fails transiently
 * (that one and all after it are retried: a stream is processed in order); the prepared messages are
 * then sent in order, and a failed send retries its record and all after it. Invalid records go to
 * the DLQ with their reason (the whole record as the body) and the batch moves on.
 */
export const forwardStreamBatch = async (records: readonly DynamoDBRecord[], deps: ForwardDependencies): Promise<DynamoDBBatchResponse> => {
  const steps: Step[] = [];
  for (const record of records) {
    const step = await prepare(record, deps);
    if (step.outcome.kind === "deadLettered") {
      const sent = await deps.deadLetters.send(JSON.stringify(record), describeError(step.outcome.error));
      if (sent.isErr()) {
        steps.push({
          outcome: { kind: "retried", error: asTransient(sent.error, `could not dead-letter (${describeError(step.outcome.error)})`) },
        });
        break;
      }
    }
    steps.push(step);
    if (step.outcome.kind === "retried") break;
  }
  const toSend = steps.flatMap((step, index) => (step.message ? [{ index, message: step.message }] : []));
  const sendErrors = await deps.queue.send(toSend.map(({ message }) => message));
  const firstSendFailure = sendErrors.findIndex((error) => error !== undefined);
  let blockedFrom = steps.findIndex((step) => step.outcome.kind === "retried");
  if (firstSendFailure >= 0) {
    const { index } = toSend[firstSendFailure] as { index: number };
    const error = sendErrors[firstSendFailure] as DependencyError;
    // A refused send is retried too (Lambda's retries, then the stream's OnFailure destination): the
    // stream cannot skip a record, and a claim check keeps every message within SQS's size limit.
    steps[index] = { outcome: { kind: "retried", error: asTransient(error, "forward to the FIFO queue") } };
    blockedFrom = blockedFrom < 0 ? index : Math.min(blockedFrom, index);
  }
  const outcomes: RecordOutcome[] = records.map((_, index) => {
    if (blockedFrom >= 0 && index > blockedFrom) return { kind: "retried", error: SHARD_BLOCKED };
    return steps[index]?.outcome ?? { kind: "retried", error: SHARD_BLOCKED };
  });
  report(records, outcomes, steps, deps);
  return {
    batchItemFailures: records
      .filter((_, index) => outcomes[index]?.kind === "retried")
      .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" })),
  };
};

const report = (
  records: readonly DynamoDBRecord[],
  outcomes: readonly RecordOutcome[],
  steps: readonly Step[],
  deps: ForwardDependencies,
): void => {
  const { logger, metrics } = deps.reporting;
  for (const [kind, name] of Object.entries(OUTCOME_METRICS))
    metrics.addMetric(name, MetricUnit.Count, outcomes.filter((outcome) => outcome.kind === kind).length);
  metrics.addMetric("MessagesClaimChecked", MetricUnit.Count, steps.filter((step) => step.claimCheck).length);
  const failures = outcomes.filter((outcome): outcome is FailedOutcome => outcome.kind === "retried" || outcome.kind === "deadLettered");
  countAccessDenied(
    metrics,
    failures.filter((outcome) => outcome.kind === "retried").map((outcome) => outcome.error),
  );
  const times = records.flatMap((record) =>
    record.dynamodb?.ApproximateCreationDateTime ? [record.dynamodb.ApproximateCreationDateTime] : [],
  );
  if (times.length > 0) metrics.addMetric("SyncForwardLagSeconds", MetricUnit.Seconds, Math.max(0, deps.now / 1000 - Math.min(...times)));
  outcomes.forEach((outcome, index) => {
    const sequenceNumber = records[index]?.dynamodb?.SequenceNumber;
    if (outcome.kind === "deadLettered")
      logger.warn("stream record dead-lettered", { sequenceNumber, reason: describeError(outcome.error) });
    else if (outcome.kind === "retried" && outcome.error !== SHARD_BLOCKED)
      logger.error("stream record failed; the batch is retried from it", { sequenceNumber, reason: describeError(outcome.error) });
    else if (outcome.kind !== "retried")
      logger.debug(outcome.kind === "stored" ? "change forwarded" : "change skipped", { sequenceNumber, ...outcome.subject });
  });
};
