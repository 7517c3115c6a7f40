import type { Context } from "aws-lambda";
import { bootstrapLeaseId, createDynamoDbBootstrapProgress } from "../adapters/dynamodb-bootstrap-progress";
import { createDynamoDbLease } from "../adapters/dynamodb-lease";
import { createDynamoDbPrimaryRecordPages } from "../adapters/dynamodb-primary-record-pages";
import { createSqsDeadLetterQueue } from "../adapters/sqs-dead-letter-queue";
import { BACKLOG } from "../domain/pacing/pacer";
import { currentWave, estimateBootstrap, type KindProgress } from "../domain/recovery/bootstrap-plan";
import { describeError } from "../domain/shared/errors";
import { applyDeadLetterQueueUrl, applyPortsFor, dynamodb, primaryRegion, region, sqs } from "./applier-composition";
import { applyAndReport, type Settled } from "./apply-entities";
import { requireEnv, requirePositiveNumberEnv } from "./environment";
import { mapConcurrently } from "./map-concurrently";
import { instrumented, logger, metrics } from "./observability";

// Composition root: the bootstrap's calls book on the region's shared schedules as a backlog, so
// live changes (the stream applier) always find their budget within about a second.
const checkpointTableName = requireEnv("SWEEP_CHECKPOINT_TABLE_NAME");
const entitiesInFlight = requirePositiveNumberEnv("BOOTSTRAP_CONCURRENCY");
const ports = applyPortsFor(BACKLOG);
const progress = createDynamoDbBootstrapProgress(dynamodb, checkpointTableName, region);
const lease = createDynamoDbLease(dynamodb, checkpointTableName, bootstrapLeaseId(region));
const pages = createDynamoDbPrimaryRecordPages(dynamodb, requireEnv("REPLICA_TABLE_NAME"), primaryRegion);
const parking = createSqsDeadLetterQueue(sqs, applyDeadLetterQueueUrl);

/** No new page starts with less than this left: a page of 100 entities at the budget must end in time. */
const PAGE_RESERVE_MS = 60_000;

export type BootstrapRunResult =
  | { readonly status: "no-job" | "finished" | "busy" }
  | { readonly status: "continuing" | "failed"; readonly reason?: string };

const counted = (outcomes: readonly Settled[], outcome: Settled): number => outcomes.filter((value) => value === outcome).length;

/**
 * One kind, page after page, until it is done or the time is up. A page whose entities all settled
 * (applied, unchanged, parked with a reason) moves the kind's resume point on; a page with an entity
 * still failing after its retries is left where it was and listed again by the next run (applying
 * is state-based, so what the page already applied is then found unchanged, and counted once).
 */
const runKind = async (kind: KindProgress, deadline: number): Promise<void> => {
  let state = kind;
  while (!state.done && Date.now() < deadline - PAGE_RESERVE_MS) {
    const page = await pages.page(state.entityType, state.cursor);
    if (page.isErr()) throw new Error(`listing ${state.entityType}: ${describeError(page.error)}`);
    const budget = { now: Date.now, deadline, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), random: Math.random };
    const outcomes = await mapConcurrently(page.value.refs, entitiesInFlight, (ref) =>
      applyAndReport(ports, { logger, metrics, parking }, ref, budget),
    );
    if (outcomes.includes("retry")) {
      logger.warn("a page of the bootstrap is left for the next run", {
        entityType: state.entityType,
        failing: counted(outcomes, "retry"),
      });
      return;
    }
    state = {
      ...state,
      cursor: page.value.cursor,
      done: page.value.cursor === undefined,
      applied: state.applied + counted(outcomes, "applied"),
      unchanged: state.unchanged + counted(outcomes, "unchanged"),
      parked: state.parked + counted(outcomes, "parked"),
    };
    const saved = await progress.saveKind(state);
    if (saved.isErr()) throw new Error(`saving the progress of ${state.entityType}: ${describeError(saved.error)}`);
  }
};

/**
 * Works off a bootstrap of this secondary region (started by `npm run bootstrap`): the primary's
 * records in the table, wave by wave (types; groups, certificates, policies; things; relations and
 * shadows), each kind's pages applied side by side with the same state-based applier as live
 * changes, at the IoT APIs' budgets behind live changes. One run at a time (a lease); a run ends
 * shortly before its timeout with its progress saved, and the schedule starts the next one.
 */
export const handler = instrumented("bootstrap-secondary", async (_event: unknown, context: Context): Promise<BootstrapRunResult> => {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - 10_000;
  const holder = context.awsRequestId;
  const claimed = await lease.claim(holder, Date.now(), deadline + 10_000);
  if (claimed.isErr()) return { status: "failed", reason: describeError(claimed.error) };
  if (!claimed.value) return { status: "busy" };
  try {
    for (;;) {
      const job = await progress.load();
      if (job.isErr()) return { status: "failed", reason: describeError(job.error) };
      if (job.value === undefined) return { status: "no-job" };
      if (job.value.finishedAt !== undefined) return { status: "finished" };
      const wave = currentWave(job.value);
      if (wave.length === 0) {
        const finished = await progress.finish(Date.now());
        if (finished.isErr()) return { status: "failed", reason: describeError(finished.error) };
        const estimate = estimateBootstrap({ ...job.value, finishedAt: Date.now() }, Date.now());
        logger.info("bootstrap finished", { records: estimate.done, recordsPerSecond: estimate.ratePerSecond });
        return { status: "finished" };
      }
      if (Date.now() >= deadline - PAGE_RESERVE_MS) return { status: "continuing" };
      logger.info("bootstrap wave", { kinds: wave.map((kind) => kind.entityType) });
      // A kind left unfinished (time up, or a page still failing) is resumed by the next pass of this loop or the next run.
      await Promise.all(wave.map((kind) => runKind(kind, deadline)));
    }
  } catch (error) {
    logger.error("bootstrap run failed; the next run resumes from the saved progress", { reason: String(error) });
    return { status: "failed", reason: String(error) };
  } finally {
    await lease.release(holder);
  }
});
