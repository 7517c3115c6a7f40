import { errAsync, ok, okAsync, type Result, ResultAsync } from "neverthrow";
import { type DependencyError, type DomainError, describeError, type InvalidEvent } from "../shared/errors";
import { failureOutcome, type RecordOutcome } from "../shared/record-outcome";
import { kindOf } from "./entity-kinds";
import type { RegistrySnapshotReader, ReplicaStore } from "./registry-ports";
import { type CaptureContext, entityKey, type SnapshotItem, snapshotToRecord } from "./replica-record";

export interface PageCounts {
  readonly stored: number;
  /** Records the replica already held in a newer form (captured from a live event, or a later backfill). */
  readonly stale: number;
  /** Items that cannot be stored (invalid, too large, refused for good). */
  readonly rejected: number;
}

export interface BackfillProgress {
  readonly pages: number;
  /** What the page just written did. */
  readonly lastPage: PageCounts;
  /** What this run did so far, all its pages together. */
  readonly total: PageCounts;
  /** The reason for every rejected item, so that none is skipped silently. */
  readonly rejected: readonly string[];
  /** The record keys of the rejected items that had one (a sweep must not take them for deleted). */
  readonly rejectedKeys: readonly string[];
  /** Where to resume if the run stops now; undefined once the listing is complete. */
  readonly resumeToken: string | undefined;
}

export interface BackfillOptions {
  readonly reader: RegistrySnapshotReader;
  readonly store: ReplicaStore;
  readonly context: CaptureContext;
  /** Read from the clock before the first page of this run (and kept across resumes of it). */
  readonly snapshotStartedAt: number;
  readonly resumeToken?: string;
  /** Called after every page is fully written: the place to persist the resume token. A failure stops the run. */
  readonly onPage?: (progress: BackfillProgress) => Result<void, DependencyError> | ResultAsync<void, DependencyError>;
  /**
   * Asked after every page (once onPage saved it): false stops the run there, with the resume token of
   * the next page in its progress (a sweep's time budget). Without it the run goes to the end.
   */
  readonly continueAfterPage?: () => boolean;
}

const NONE: PageCounts = { stored: 0, stale: 0, rejected: 0 };

interface Written {
  readonly outcome: RecordOutcome;
  /** The record's key, when the item had one, to say which item a rejection is about. */
  readonly key: string | undefined;
}

const write = (item: Result<SnapshotItem, InvalidEvent>, options: BackfillOptions): Promise<Written> => {
  const key = item.map((listed) => entityKey(listed.entityType, kindOf(listed).recordName(listed.state))).unwrapOr(undefined);
  const record = item.andThen((listed) => snapshotToRecord(listed, options.snapshotStartedAt, options.context));
  if (record.isErr()) return Promise.resolve({ outcome: failureOutcome(record.error), key });
  return options.store.putIfNewer(record.value).match(
    (written) => ({ outcome: { kind: written }, key }),
    (error) => ({ outcome: failureOutcome(error), key }),
  );
};

const count = (written: readonly Written[], kind: RecordOutcome["kind"]): number => written.filter((w) => w.outcome.kind === kind).length;
const add = (a: PageCounts, b: PageCounts): PageCounts => ({
  stored: a.stored + b.stored,
  stale: a.stale + b.stale,
  rejected: a.rejected + b.rejected,
});

/**
 * Copies a region's existing registry into the replica, page by page, through the same ordering rule
 * as live capture. Snapshot records rank below live events, so running a backfill while capture is
 * live never overwrites a fresher event, and re-running it only refreshes older snapshots. An item
 * that can never be stored is rejected with its reason and the run goes on; a transient failure
 * stops the run after the last fully written page, so that it can resume there; a resume token the
 * reader did not issue stops it for good (an InvalidEvent). The backfill CLI runs it to the end; the
 * scheduled sweep (`sweep-registry.ts`) runs the same loop within its time budget.
 */
export const backfillRegistry = (options: BackfillOptions): ResultAsync<BackfillProgress, DomainError> => {
  const step = (progress: BackfillProgress, token: string | undefined): ResultAsync<BackfillProgress, DomainError> =>
    options.reader.readPage(token).andThen((page) =>
      ResultAsync.fromSafePromise(Promise.all(page.items.map((item) => write(item, options)))).andThen((written) => {
        const retried = written.map((w) => w.outcome).find((outcome) => outcome.kind === "retried");
        if (retried?.kind === "retried") return errAsync<BackfillProgress, DomainError>(retried.error);
        const reasons = written.flatMap(({ outcome, key }) =>
          outcome.kind === "deadLettered" ? [key ? `${key}: ${describeError(outcome.error)}` : describeError(outcome.error)] : [],
        );
        const rejectedKeys = written.flatMap(({ outcome, key }) => (outcome.kind === "deadLettered" && key ? [key] : []));
        const lastPage = { stored: count(written, "stored"), stale: count(written, "stale"), rejected: reasons.length };
        const next: BackfillProgress = {
          pages: progress.pages + 1,
          lastPage,
          total: add(progress.total, lastPage),
          rejected: [...progress.rejected, ...reasons],
          rejectedKeys: [...progress.rejectedKeys, ...rejectedKeys],
          resumeToken: page.resumeToken,
        };
        return okAsync<void, DomainError>(undefined)
          .andThen(() => options.onPage?.(next) ?? ok(undefined))
          .andThen(() =>
            next.resumeToken === undefined || options.continueAfterPage?.() === false
              ? okAsync<BackfillProgress, DomainError>(next)
              : step(next, next.resumeToken),
          );
      }),
    );
  const start: BackfillProgress = {
    pages: 0,
    lastPage: NONE,
    total: NONE,
    rejected: [],
    rejectedKeys: [],
    resumeToken: options.resumeToken,
  };
  return step(start, options.resumeToken);
};
