import type { ResultAsync } from "neverthrow";
import type { DependencyRejected, DependencyUnavailable } from "../shared/errors";
import type { ReplicaRecord, SnapshotItem } from "./replica-record";

/** `applied`: the record moved forward. `stale`: it already held this write or a newer one (a no-op). */
export type WriteOutcome = "applied" | "stale";

/** The aggregated replica table. Implemented by the DynamoDB adapter. */
export interface ReplicaStore {
  /** Writes the record only if it is newer than the stored one, in one conditional write. */
  putIfNewer(record: ReplicaRecord): ResultAsync<WriteOutcome, DependencyUnavailable | DependencyRejected>;
}

/** Where input that can never succeed goes, with the reason, instead of being retried forever. */
export interface DeadLetterQueue {
  send(body: string, reason: string): ResultAsync<void, DependencyUnavailable>;
}

/** One page of a registry listing, and the token that resumes the listing after it. */
export interface SnapshotPage {
  readonly items: readonly SnapshotItem[];
  readonly resumeToken: string | undefined;
}

/** Reads a region's registry page by page for a backfill. Implemented by the IoT registry adapter. */
export interface RegistrySnapshotReader {
  /** Reads the page that `resumeToken` points at (the first page when undefined). */
  readPage(resumeToken: string | undefined): ResultAsync<SnapshotPage, DependencyUnavailable>;
}
