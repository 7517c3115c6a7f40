import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { type ApplyPorts, applyEntityWithRetry, type RetryBudget } from "../domain/recovery/apply-entity";
import { type EntityRef, refKey } from "../domain/recovery/entity-ref";
import { entityMessage } from "../domain/recovery/parked-message";
import type { DeadLetterQueue } from "../domain/shared/dead-letter-queue";
import { describeError, isRetryable } from "../domain/shared/errors";
import { countAccessDenied } from "./record-outcome";

/** Stop starting new attempts this long before the function's own timeout. */
const SAFETY_MARGIN_MS = 3_000;

export interface ApplierReporting {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Where deferred and permanently failing entities are parked, with their reason, for the redrive and for a person. */
  readonly parking?: DeadLetterQueue;
}

/**
 * `applied` (calls made), `unchanged` (it already matched), `parked` (deferred or failing for good,
 * with its reason, in the parking queue), or `retry`: a transient failure outlasted the time budget.
 */
export type Settled = "applied" | "unchanged" | "parked" | "retry";

/** The retry budget of one invocation: until shortly before its timeout, with real time, sleep and jitter. */
export const budgetOf = (remainingMs: number): RetryBudget => ({
  now: Date.now,
  deadline: Date.now() + remainingMs - SAFETY_MARGIN_MS,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

/**
 * Applies one entity with retries inside the budget, then reports what happened, the same way for the
 * stream applier and the redrive: log line, EMF counts, ReplicationLagMs (apply time minus the
 * primary record's stamp) and ReplicationLagFromCaptureMs (minus its CapturedAt) for every entity
 * that needed calls. Deferred and permanent failures are parked when a parking queue is given.
 */
export const applyAndReport = async (
  ports: ApplyPorts,
  reporting: ApplierReporting,
  ref: EntityRef,
  budget: RetryBudget,
): Promise<Settled> => {
  const { logger, metrics } = reporting;
  const entityKey = refKey(ref);
  const result = await applyEntityWithRetry(ports, ref, budget);
  const park = async (reason: string, delaySeconds?: number): Promise<Settled> => {
    if (!reporting.parking) return "retry";
    const parked = await reporting.parking.send(entityMessage(ref), reason, delaySeconds);
    if (parked.isOk()) return "parked";
    logger.error("could not park the entity; it will be retried", { entityKey, reason: describeError(parked.error) });
    return "retry";
  };
  if (result.outcome?.kind === "applied") {
    const appliedAt = Date.now();
    metrics.addMetric("RecordsApplied", MetricUnit.Count, 1);
    metrics.addMetric("ApplyCalls", MetricUnit.Count, result.outcome.calls);
    const record = result.outcome.record;
    if (record) {
      metrics.addMetric("ReplicationLagMs", MetricUnit.Milliseconds, appliedAt - record.stamp.timestamp);
      metrics.addMetric("ReplicationLagFromCaptureMs", MetricUnit.Milliseconds, appliedAt - record.capturedAt);
    }
    logger.info("entity applied", { entityKey, calls: result.outcome.calls, attempts: result.attempts });
    return "applied";
  }
  if (result.outcome?.kind === "unchanged") {
    metrics.addMetric("RecordsUnchanged", MetricUnit.Count, 1);
    logger.info("entity already matches the primary", { entityKey });
    return "unchanged";
  }
  if (result.outcome?.kind === "deferred") {
    metrics.addMetric("RecordsDeferred", MetricUnit.Count, 1);
    logger.warn("entity deferred to the redrive", { entityKey, reason: result.outcome.reason });
    return park(result.outcome.reason, result.outcome.retryAfterSeconds);
  }
  const error = result.error;
  if (error === undefined) return "retry";
  if (isRetryable(error)) {
    metrics.addMetric("RecordsRetried", MetricUnit.Count, 1);
    countAccessDenied(metrics, [error]);
    logger.error("entity failed; it will be retried", { entityKey, reason: describeError(error), attempts: result.attempts });
    return "retry";
  }
  metrics.addMetric("RecordsDeadLettered", MetricUnit.Count, 1);
  logger.warn("entity cannot be applied; parked with the reason", { entityKey, reason: describeError(error) });
  return park(describeError(error));
};
