import { errAsync, okAsync, ResultAsync } from "neverthrow";
import type { DomainError } from "../shared/errors";
import { backfillRegistry, type PageCounts } from "./backfill-registry";
import type { EntityType } from "./entity-kinds";
import type { RegistrySnapshotReader, ReplicaStore } from "./registry-ports";
import type { CaptureContext } from "./replica-record";
import { planTombstones } from "./sweep-plan";
import type { ActiveRecordSource, SweepCheckpoint, SweepCheckpointStore } from "./sweep-ports";

export interface SweepOptions {
  readonly reader: RegistrySnapshotReader;
  readonly store: ReplicaStore;
  readonly records: ActiveRecordSource;
  readonly checkpoints: SweepCheckpointStore;
  /** The region swept (sourceRegion), this invocation's clock reading and the tombstone TTL. */
  readonly context: CaptureContext;
  /** The kinds the reader lists: only their records can be found missing. */
  readonly kinds: readonly EntityType[];
  /** False once the invocation has no time for another page or kind: the pass goes on in the next one. */
  readonly hasTimeLeft: () => boolean;
  /** Who runs (the invocation's request id), and when the run will have ended at the latest (epoch ms). */
  readonly holder: string;
  readonly leaseUntil: number;
}

export interface SweepReport {
  readonly passStartedAt: number;
  /** Whether this invocation went on with a pass an earlier one began. */
  readonly resumed: boolean;
  /** Listing pages this invocation wrote, and what they did. */
  readonly pages: number;
  readonly listed: PageCounts;
  /** The reason of every item this invocation listed and could not store. */
  readonly rejected: readonly string[];
  /** Tombstones written for entities the completed pass did not see (stale: something newer was there). */
  readonly tombstones: { readonly stored: number; readonly stale: number };
  /** Whether the pass ended in this invocation (the next one starts a new pass). */
  readonly complete: boolean;
}

const NO_PAGES: PageCounts = { stored: 0, stale: 0, rejected: 0 };

/** Tombstones are written this many at a time (one conditional PutItem each). */
const TOMBSTONES_IN_FLIGHT = 25;

/**
 * The tombstone step of a pass whose listing is complete, kind by kind; stops (without error) when the
 * time is up: the checkpoint still says `listed`, so the next invocation repeats the step, which is
 * idempotent (a tombstone written is no longer ACTIVE, and writing it again is a stale no-op).
 */
const writeTombstones = (options: SweepOptions, pass: SweepCheckpoint) => {
  const completed = { passStartedAt: pass.passStartedAt, rejectedKeys: new Set(pass.rejectedKeys) };
  const counts = { stored: 0, stale: 0 };
  const kindStep = (remaining: readonly EntityType[]): ResultAsync<boolean, DomainError> => {
    const [kind, ...rest] = remaining;
    if (kind === undefined) return okAsync(true);
    if (!options.hasTimeLeft()) return okAsync(false);
    return options.records
      .activeRecords(kind, options.context.sourceRegion)
      .andThen((records) => {
        const tombstones = planTombstones(records, completed, options.context);
        const write = async () => {
          for (let i = 0; i < tombstones.length; i += TOMBSTONES_IN_FLIGHT) {
            const chunk = tombstones.slice(i, i + TOMBSTONES_IN_FLIGHT);
            const outcomes = await Promise.all(chunk.map((tombstone) => options.store.putIfNewer(tombstone)));
            for (const outcome of outcomes) {
              if (outcome.isErr()) return outcome;
              counts[outcome.value] += 1;
            }
          }
          return undefined;
        };
        return ResultAsync.fromSafePromise(write()).andThen((failed) =>
          failed ? errAsync<void, DomainError>(failed.error) : okAsync(undefined),
        );
      })
      .andThen(() => kindStep(rest));
  };
  return kindStep(options.kinds).map((complete) => ({ complete, tombstones: counts }));
};

/** The listing part of a pass, from where its checkpoint says (nothing left once the pass is `listed`). */
const listFrom = (options: SweepOptions, pass: SweepCheckpoint) => {
  if (pass.listed) return okAsync({ pass, pages: 0, listed: NO_PAGES, rejected: [] as readonly string[] });
  const after = (rejectedKeys: readonly string[], resumeToken: string | undefined): SweepCheckpoint => ({
    passStartedAt: pass.passStartedAt,
    resumeToken,
    listed: resumeToken === undefined,
    rejectedKeys: [...pass.rejectedKeys, ...rejectedKeys],
  });
  return backfillRegistry({
    reader: options.reader,
    store: options.store,
    context: options.context,
    snapshotStartedAt: pass.passStartedAt,
    ...(pass.resumeToken !== undefined ? { resumeToken: pass.resumeToken } : {}),
    continueAfterPage: options.hasTimeLeft,
    onPage: (progress) => options.checkpoints.save(after(progress.rejectedKeys, progress.resumeToken)),
  })
    .map((progress) => ({
      pass: after(progress.rejectedKeys, progress.resumeToken),
      pages: progress.pages,
      listed: progress.total,
      rejected: progress.rejected,
    }))
    .orElse((error) =>
      error.kind === "InvalidEvent" && error.field === "resumeToken"
        ? options.checkpoints.clear().andThen(() => errAsync(error))
        : errAsync(error),
    );
};

/** One run's part of a pass, once it holds the lease. */
const runPass = (options: SweepOptions): ResultAsync<SweepReport, DomainError> =>
  options.checkpoints.load().andThen((saved) => {
    const pass: SweepCheckpoint = saved ?? { passStartedAt: options.context.now, resumeToken: undefined, listed: false, rejectedKeys: [] };
    const started = saved ? okAsync<void, DomainError>(undefined) : options.checkpoints.save(pass);
    return started
      .andThen(() => listFrom(options, pass))
      .andThen(({ pass: now, ...done }) => {
        const report = { passStartedAt: now.passStartedAt, resumed: saved !== undefined, ...done };
        if (!now.listed) return okAsync<SweepReport, DomainError>({ ...report, tombstones: { stored: 0, stale: 0 }, complete: false });
        return writeTombstones(options, now).andThen(({ complete, tombstones }) =>
          (complete ? options.checkpoints.clear() : okAsync<void, DomainError>(undefined)).map(() => ({ ...report, tombstones, complete })),
        );
      });
  });

/** What one invocation did: its part of a pass, or nothing because another run held the sweep. */
export type SweepRun = ({ readonly ran: true } & SweepReport) | { readonly ran: false };

/**
 * One invocation of the scheduled sweep of a region's registry: lists it into the replica through the
 * same page loop as the backfill (snapshot records stamped with the pass's start), saving a checkpoint
 * after every page, for as long as the invocation has time; a pass that cannot finish goes on in the
 * next invocation. When a pass has listed everything, it is the anti-entropy step: every ACTIVE
 * snapshot record of the region that the pass did not see becomes a tombstone (`sweep-plan.ts`), so
 * that deleted certificates and policies and detached attachments, which have no events, reach the
 * replica too. A resume token the reader did not issue ends the pass (the next one starts over).
 * One run at a time: a run first takes the region's sweep lease (until it must have ended), and a
 * run that finds it held (a retry or a tick overlapping a long run) does nothing.
 */
export const sweepRegistry = (options: SweepOptions): ResultAsync<SweepRun, DomainError> =>
  options.checkpoints.claim(options.holder, options.context.now, options.leaseUntil).andThen((claimed) => {
    if (!claimed) return okAsync<SweepRun, DomainError>({ ran: false });
    const released = <T>(value: T) => options.checkpoints.release(options.holder).map(() => value);
    return runPass(options)
      .andThen((report) => released<SweepRun>({ ran: true, ...report }))
      .orElse((error) => released(undefined).andThen(() => errAsync<SweepRun, DomainError>(error)));
  });
