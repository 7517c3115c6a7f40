import type { Result, ResultAsync } from "neverthrow";
import type { DependencyError, DomainError, InvalidEvent } from "../shared/errors";
import type { ReplicaRecord, SnapshotItem } from "./replica-record";

/** `stored`: the record moved forward. `stale`: it already held this write or a newer one (a no-op). */
export type WriteOutcome = "stored" | "stale";

/** The aggregated replica table. Implemented by the DynamoDB adapter. */
export interface ReplicaStore {
  /** Writes the record only if it is newer than the stored one, in one conditional write. */
  putIfNewer(record: ReplicaRecord): ResultAsync<WriteOutcome, DependencyError>;
}

/**
 * One page of a registry listing, and the token that resumes the listing after it. An item the
 * registry listed without what a record needs (its name) is an InvalidEvent in its place, so that it
 * is reported, never stored under an empty name and never skipped silently.
 */
export interface SnapshotPage {
  readonly items: readonly Result<SnapshotItem, InvalidEvent>[];
  readonly resumeToken: string | undefined;
}

/** Reads a region's registry page by page for a backfill. Implemented by the IoT registry adapter. */
export interface RegistrySnapshotReader {
  /**
   * Reads the page that `resumeToken` points at (the first page when undefined). A token this reader
   * did not issue is an InvalidEvent: resuming from it again can never succeed.
   */
  readPage(resumeToken: string | undefined): ResultAsync<SnapshotPage, DomainError>;
}
