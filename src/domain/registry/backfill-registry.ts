import { ResultAsync, okAsync } from "neverthrow";
import type { DependencyRejected, DependencyUnavailable } from "../shared/errors";
import { snapshotToRecord, type CaptureContext } from "./replica-record";
import type { RegistrySnapshotReader, ReplicaStore } from "./registry-ports";

export interface BackfillProgress {
  readonly pages: number;
  readonly applied: number;
  /** Records the replica already held in a newer form (captured from a live event, or a later backfill). */
  readonly stale: number;
  /** Items that cannot be stored (e.g. too large), with the reason, so that none is skipped silently. */
  readonly rejected: readonly string[];
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
  /** Called after every page is fully written: the place to persist the resume token. */
  readonly onPage?: (progress: BackfillProgress) => void | Promise<void>;
}

const EMPTY = { pages: 0, applied: 0, stale: 0, rejected: [] as readonly string[] };

/**
 * Copies a region's existing registry into the replica, page by page, through the same ordering rule
 * as live capture. Snapshot records rank below live events, so running a backfill while capture is
 * live never overwrites a fresher event, and re-running it only refreshes older snapshots.
 */
export const backfillRegistry = (options: BackfillOptions): ResultAsync<BackfillProgress, DependencyUnavailable | DependencyRejected> => {
  const step = (progress: BackfillProgress, token: string | undefined): ResultAsync<BackfillProgress, DependencyUnavailable | DependencyRejected> =>
    options.reader.readPage(token).andThen((page) => {
      const writes = page.items.map((item) =>
        snapshotToRecord(item, options.snapshotStartedAt, options.context).match(
          (record) => options.store.putIfNewer(record).map((outcome) => ({ outcome, reason: undefined })),
          (invalid) => okAsync({ outcome: "rejected" as const, reason: `${item.entityType}: ${invalid.message}` }),
        ),
      );
      return ResultAsync.combine(writes).andThen((outcomes) => {
        const next: BackfillProgress = {
          pages: progress.pages + 1,
          applied: progress.applied + outcomes.filter((o) => o.outcome === "applied").length,
          stale: progress.stale + outcomes.filter((o) => o.outcome === "stale").length,
          rejected: [...progress.rejected, ...outcomes.flatMap((o) => (o.reason ? [o.reason] : []))],
          resumeToken: page.resumeToken,
        };
        return ResultAsync.fromSafePromise(Promise.resolve(options.onPage?.(next))).andThen(() =>
          next.resumeToken === undefined ? okAsync(next) : step(next, next.resumeToken),
        );
      });
    });
  return step({ ...EMPTY, resumeToken: options.resumeToken }, options.resumeToken);
};
