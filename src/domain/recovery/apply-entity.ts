import { errAsync, okAsync, type ResultAsync } from "neverthrow";
import type { ReplicaRecord } from "../registry/replica-record";
import { DependencyUnavailable, type DomainError, describeError, isRetryable } from "../shared/errors";

/**
 * An entity whose dependency (a shadow's thing, a membership's group) is not in the secondary yet,
 * usually because the primary's record of it has not arrived: transient, but worth only a short wait
 * in the shard before the entity is deferred to the redrive (see `applyEntityWithRetry`).
 */
export class WaitingForDependency extends DependencyUnavailable {}

/** How long AWS makes a refused delete wait (a thing type can be deleted 5 minutes after its deprecation). */
export const AWS_DEFER_SECONDS = 300;
/** How long an entity waiting for its dependency is left in the redrive before it is tried again. */
export const DEPENDENCY_DEFER_SECONDS = 60;

import { type Desired, desiredOf } from "./desired-state";
import { type EntityRef, refKey } from "./entity-ref";
import { DEFERRABLE_CALLS, type IotOperation } from "./iot-operations";
import type { LiveStates } from "./live-state";
import { dependenciesOf, dependentsOf, planFor } from "./plan";
import type { PlanContext } from "./plan-types";
import type { PrimaryRecords, SecondaryRegistry } from "./recovery-ports";

/**
 * What applying one entity did: `applied` (calls were made), `unchanged` (it already matched), or
 * `deferred` (AWS refused a delete that another change must precede, e.g. a thing type deprecated
 * less than 5 minutes ago: the entity goes to the redrive, the shard moves on).
 */
export type ApplyOutcome =
  | { readonly kind: "applied"; readonly record: ReplicaRecord | undefined; readonly calls: number }
  | { readonly kind: "unchanged"; readonly record: ReplicaRecord | undefined }
  | {
      readonly kind: "deferred";
      readonly reason: string;
      /** How long the redrive should leave it: AWS's own waits are minutes; a missing dependency is usually seconds. */
      readonly retryAfterSeconds: number;
    };

export interface ApplyPorts {
  readonly primary: PrimaryRecords;
  readonly secondary: SecondaryRegistry;
  readonly context: PlanContext;
}

/** Dependencies are applied first, down to this depth (AWS IoT nests thing groups at most 7 deep). */
export const MAX_DEPENDENCY_DEPTH = 8;

const dependencyMissing = (ref: EntityRef, what: string): WaitingForDependency =>
  new WaitingForDependency("secondary IoT registry", `${refKey(ref)} waits for ${what}`);

/** Runs the calls in order; a refused deferrable delete ends the plan as deferred, anything else as its error. */
const execute = (
  ports: ApplyPorts,
  ref: EntityRef,
  operations: readonly IotOperation[],
  record: ReplicaRecord | undefined,
): ResultAsync<ApplyOutcome, DomainError> => {
  const step = (index: number): ResultAsync<ApplyOutcome, DomainError> => {
    const operation = operations[index];
    if (operation === undefined) return okAsync({ kind: "applied", record, calls: operations.length });
    return ports.secondary
      .execute(operation)
      .map((): string | undefined => undefined)
      .orElse((error) =>
        !isRetryable(error) && DEFERRABLE_CALLS.has(operation.call) ? okAsync(describeError(error)) : errAsync<never, DomainError>(error),
      )
      .andThen((refused) =>
        refused === undefined
          ? step(index + 1)
          : okAsync<ApplyOutcome, DomainError>({
              kind: "deferred",
              reason: `${refKey(ref)}: ${operation.call} refused (${refused})`,
              retryAfterSeconds: AWS_DEFER_SECONDS,
            }),
      );
  };
  return step(0);
};

/** A certificate the primary deleted is deleted here only when no thing still uses it in the primary. */
const certificateStillUsed = (ports: ApplyPorts, desired: Desired, live: unknown): ResultAsync<string | undefined, DomainError> => {
  if (desired.ref.entityType !== "certificate" || desired.state !== null || live === null) return okAsync(undefined);
  const things = (live as NonNullable<LiveStates["certificate"]>).things;
  const check = (index: number): ResultAsync<string | undefined, DomainError> => {
    const thingName = things[index];
    if (thingName === undefined) return okAsync(undefined);
    return ports.primary
      .read({ entityType: "thingPrincipal", entityName: `${thingName}#${desired.ref.entityName}` })
      .andThen((record) => (record?.status === "ACTIVE" ? okAsync(thingName) : check(index + 1)));
  };
  return check(0);
};

const applyDependencies = (
  ports: ApplyPorts,
  dependencies: readonly EntityRef[],
  depth: number,
  visiting: ReadonlySet<string>,
): ResultAsync<void, DomainError> => {
  const [first, ...rest] = dependencies;
  if (first === undefined) return okAsync(undefined);
  if (ports.secondary.knownToExist(first)) return applyDependencies(ports, rest, depth, visiting);
  return ports.secondary
    .read(first)
    .andThen((live): ResultAsync<unknown, DomainError> => {
      // Present and usable (AWS gives no thing a deprecated type): nothing to apply first.
      const deprecatedType = first.entityType === "thingType" && (live as LiveStates["thingType"])?.isDeprecated === true;
      if (live !== null && !deprecatedType) return okAsync(undefined);
      if (depth >= MAX_DEPENDENCY_DEPTH || visiting.has(refKey(first))) return errAsync(dependencyMissing(first, "its own dependencies"));
      return applyAt(ports, first, depth + 1, visiting);
    })
    .andThen(() => applyDependencies(ports, rest, depth, visiting));
};

/** Applies each entity in turn (bounded depth, no cycles), for the dependents of a delete. */
const applyEach = (
  ports: ApplyPorts,
  refs: readonly EntityRef[],
  depth: number,
  visiting: ReadonlySet<string>,
): ResultAsync<void, DomainError> => {
  const [first, ...rest] = refs;
  if (first === undefined) return okAsync(undefined);
  if (depth >= MAX_DEPENDENCY_DEPTH || visiting.has(refKey(first))) return applyEach(ports, rest, depth, visiting);
  return applyAt(ports, first, depth + 1, visiting).andThen(() => applyEach(ports, rest, depth, visiting));
};

function applyAt(ports: ApplyPorts, ref: EntityRef, depth: number, visiting: ReadonlySet<string>): ResultAsync<ApplyOutcome, DomainError> {
  const inside = new Set([...visiting, refKey(ref)]);
  return ports.primary.read(ref).andThen((record) =>
    desiredOf(ref, record)
      .asyncAndThen((desired) => applyDependencies(ports, dependenciesOf(desired), depth, inside).map(() => desired))
      .andThen((desired) =>
        ports.secondary
          .read(desired.ref, desired.state === null)
          .andThen((first) => {
            // Deleting a type or a group: the things and child groups that hold it back are applied first, then it is read again.
            const dependents = dependentsOf(desired, first as never);
            if (dependents.length === 0) return okAsync(first);
            return applyEach(ports, dependents, depth, inside).andThen(() => ports.secondary.read(desired.ref, true));
          })
          .andThen((live) =>
            certificateStillUsed(ports, desired, live).andThen((usedBy): ResultAsync<ApplyOutcome, DomainError> => {
              if (usedBy !== undefined) {
                return okAsync({
                  kind: "deferred",
                  reason: `${refKey(ref)}: still attached to thing ${usedBy} in the primary`,
                  retryAfterSeconds: AWS_DEFER_SECONDS,
                });
              }
              return planFor(desired, live as never, ports.context).asyncAndThen((plan): ResultAsync<ApplyOutcome, DomainError> => {
                if (plan.waitingFor !== undefined) return errAsync(dependencyMissing(ref, plan.waitingFor));
                if (plan.operations.length === 0) return okAsync({ kind: "unchanged", record });
                return execute(ports, ref, plan.operations, record);
              });
            }),
          ),
      ),
  );
}

/**
 * Makes the secondary match the primary's current record of `ref`: reads the record (not a stream
 * image, which may be stale), applies the entity's dependencies first from their own records, reads
 * the secondary's live state, and makes the planned calls.
 */
export const applyEntity = (ports: ApplyPorts, ref: EntityRef): ResultAsync<ApplyOutcome, DomainError> => applyAt(ports, ref, 0, new Set());

/** How long to wait between attempts and until when: the function's remaining time, as the handler knows it. */
export interface RetryBudget {
  readonly now: () => number;
  /** Epoch milliseconds after which no further attempt starts. */
  readonly deadline: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /**
   * How long an entity may wait in the shard for a missing dependency before it is deferred to the
   * redrive (the rest of the batch, live changes included, waits behind it); default 10 s.
   */
  readonly dependencyWaitMs?: number;
}

const DEFAULT_DEPENDENCY_WAIT_MS = 10_000;

const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

/**
 * `applyEntity`, retried on transient failures (throttling, a dependency not there yet) with
 * exponential backoff and full jitter while the budget lasts; the last failure is returned when it
 * runs out. A dependency still missing after `dependencyWaitMs` defers the entity instead, so that
 * one shadow of a thing the primary's table does not hold yet cannot hold a shard's live changes for
 * the whole invocation. Safe because applying is state-based: a retry re-reads everything.
 */
export const applyEntityWithRetry = async (
  ports: ApplyPorts,
  ref: EntityRef,
  budget: RetryBudget,
): Promise<{ readonly outcome?: ApplyOutcome; readonly error?: DomainError; readonly attempts: number }> => {
  const started = budget.now();
  for (let attempt = 1; ; attempt += 1) {
    const result = await applyEntity(ports, ref);
    if (result.isOk()) return { outcome: result.value, attempts: attempt };
    if (!isRetryable(result.error)) return { error: result.error, attempts: attempt };
    if (result.error instanceof WaitingForDependency && budget.now() - started >= (budget.dependencyWaitMs ?? DEFAULT_DEPENDENCY_WAIT_MS)) {
      const reason = `${result.error.message} (not there after ${attempt} attempts)`;
      return { outcome: { kind: "deferred", reason, retryAfterSeconds: DEPENDENCY_DEFER_SECONDS }, attempts: attempt };
    }
    const delay = Math.floor(budget.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
    if (budget.now() + delay >= budget.deadline) return { error: result.error, attempts: attempt };
    await budget.sleep(delay);
  }
};
