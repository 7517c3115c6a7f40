import type { ResultAsync } from "neverthrow";
import type { DependencyError } from "../shared/errors";
import type { IssuedStamp } from "./forward-decision";
import type { AttributeMap } from "./sync-item";
import type { SyncStamp } from "./sync-stamp";

/** A conditional write either landed or found something newer (or the same change) already there. */
export type WriteResult = "written" | "stale";

/**
 * A write to the target refused because the item holds a local change not stamped yet (two-way mode:
 * its side's forwarder has not re-asserted it); the change is retried until it has been.
 */
export type TargetWriteResult = WriteResult | "unstamped";

/**
 * The table the changes are applied to. `overwriteUnstamped`: whether an item without sync metadata
 * may be overwritten (one-way: the target's own items are the sync's to replace; two-way: an unstamped
 * item is a local change on its way to being stamped, which must be compared, not overwritten).
 */
export interface SyncTargetTable {
  /** Writes the image with the stamp's metadata when the stored item is absent or older. */
  putIfNewer(
    key: AttributeMap,
    image: AttributeMap,
    stamp: SyncStamp,
    overwriteUnstamped: boolean,
  ): ResultAsync<TargetWriteResult, DependencyError>;
  /**
   * Deletes the item when it is older (marking it SyncDeleted with the delete's stamp first, so a
   * two-way forwarder on that side knows the removal for the sync's); stale when there is no item.
   */
  deleteIfOlder(key: AttributeMap, stamp: SyncStamp, overwriteUnstamped: boolean): ResultAsync<TargetWriteResult, DependencyError>;
}

/**
 * Where deletes leave their stamp (with a TTL) so that a late or redriven put older than the delete
 * cannot bring the item back. Kept out of the target table: its readers must find nothing after a
 * delete (a tombstone item would be a visible item with the same key).
 */
export interface TombstoneStore {
  newest(key: AttributeMap): ResultAsync<SyncStamp | undefined, DependencyError>;
  /** Records the delete unless a newer one is recorded (the same stamp again is `written`: retries are idempotent). */
  record(key: AttributeMap, stamp: SyncStamp): ResultAsync<WriteResult, DependencyError>;
}

/** The source table, for claim checks and KEYS_ONLY streams: the item's current image, consistent read. */
export interface SourceItemReader {
  read(key: AttributeMap): ResultAsync<AttributeMap | undefined, DependencyError>;
}

/**
 * This side's own table, in two-way mode, as the forwarder re-asserts local changes on it: read the
 * item; write it (stamped; `restored` marks data the forwarder brought back rather than stamped in
 * place) only if it is still in the state the forwarder saw (`expected`: the stamp it carries,
 * `unstamped`, or `absent`); delete an older copy the sync wrote (restored, or the other side's
 * change), never one stamped in place (that may be a later local write with the same data).
 */
export interface OwnTable {
  read(key: AttributeMap): ResultAsync<AttributeMap | undefined, DependencyError>;
  putIfStill(
    key: AttributeMap,
    image: AttributeMap,
    stamp: SyncStamp,
    expected: SyncStamp | "unstamped" | "absent",
    restored: boolean,
  ): ResultAsync<WriteResult, DependencyError>;
  deleteSyncedOlder(key: AttributeMap, stamp: SyncStamp): ResultAsync<WriteResult, DependencyError>;
}

/** The last stamp the two-way forwarder issued for each item of its side (see ItemHistory). */
export interface IssuedStamps {
  last(key: AttributeMap): ResultAsync<IssuedStamp | undefined, DependencyError>;
  remember(key: AttributeMap, issued: IssuedStamp): ResultAsync<void, DependencyError>;
}
