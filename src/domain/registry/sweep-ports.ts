import type { ResultAsync } from "neverthrow";
import type { DependencyError } from "../shared/errors";
import type { EntityType } from "./entity-kinds";
import type { ReplicaRecord } from "./replica-record";

/**
 * Where a sweep pass stands, saved after every page so that a pass that outlives one invocation goes
 * on in the next: the pass's start (the stamp of all its records and tombstones), where its listing
 * resumes, whether the listing is complete (then only the tombstone step is left), and the keys of
 * listed items it could not store (they exist, so they must not be taken for deleted).
 */
export interface SweepCheckpoint {
  readonly passStartedAt: number;
  readonly resumeToken: string | undefined;
  readonly listed: boolean;
  readonly rejectedKeys: readonly string[];
}

/** The region's sweep checkpoint and the lease that lets one run at a time use it (the DynamoDB adapter). */
export interface SweepCheckpointStore {
  /** Takes the lease for `holder` until `until` (epoch ms) unless another holder has it past `now`; false when it does. */
  claim(holder: string, now: number, until: number): ResultAsync<boolean, DependencyError>;
  /** Gives the lease back (a no-op when `holder` no longer has it). */
  release(holder: string): ResultAsync<void, DependencyError>;
  load(): ResultAsync<SweepCheckpoint | undefined, DependencyError>;
  save(checkpoint: SweepCheckpoint): ResultAsync<void, DependencyError>;
  /** Ends the pass: the next invocation starts a new one. */
  clear(): ResultAsync<void, DependencyError>;
}

/** The replica's ACTIVE records of one kind from one source region (to find what a pass did not see). */
export interface ActiveRecordSource {
  activeRecords(entityType: EntityType, sourceRegion: string): ResultAsync<readonly ReplicaRecord[], DependencyError>;
}
