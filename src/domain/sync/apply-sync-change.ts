import { errAsync, ok, okAsync, type ResultAsync, safeTry } from "neverthrow";
import { DependencyUnavailable, type DomainError, InvalidEvent } from "../shared/errors";
import { type AttributeMap, type AttributeProjection, projectAttributes } from "./sync-item";
import type { SyncChange } from "./sync-message";
import type { SourceItemReader, SyncTargetTable, TargetWriteResult, TombstoneStore, WriteResult } from "./sync-ports";
import { compareStamps, type SyncStamp } from "./sync-stamp";

export interface SyncWriter {
  readonly target: SyncTargetTable;
  readonly tombstones: TombstoneStore;
  /** Absent where every change carries its image (the forwarder's re-assertion on its own side). */
  readonly source?: SourceItemReader;
  /** The include/exclude lists, applied to the images read for claim checks as the forwarder applies them. */
  readonly projection?: AttributeProjection;
  /** The target side runs its own stack (two-way): its unstamped items are local changes to wait for. */
  readonly twoWay?: boolean;
}

/** An unstamped local change in a two-way target: retried (transient) until its side's forwarder has stamped it. */
const settled = (result: TargetWriteResult): ResultAsync<WriteResult, DomainError> =>
  result === "unstamped"
    ? errAsync(
        new DependencyUnavailable(
          "target table",
          "the item holds a local change its side's forwarder has not stamped yet; retried until it has",
        ),
      )
    : okAsync(result);

const olderOrEqual = (stamp: SyncStamp, tombstone: SyncStamp | undefined): boolean =>
  tombstone !== undefined && compareStamps(stamp, tombstone) <= 0;

/** The put's image: the message's, or (a claim check) the source's current item, absent if it is gone by now. */
const imageOf = (change: SyncChange, writer: SyncWriter): ResultAsync<AttributeMap | undefined, DomainError> => {
  if (change.image !== undefined) return okAsync(change.image);
  if (writer.source === undefined)
    return errAsync(new InvalidEvent("a claim check (a put without its image) needs the source table reader", "image"));
  const projection = writer.projection ?? { include: [], exclude: [] };
  return writer.source.read(change.key).map((item) => (item === undefined ? undefined : projectAttributes(item, change.key, projection)));
};

/**
 * A put, last writer wins: stale if a delete as new or newer left a tombstone; else one conditional
 * write on the item's stamp; then the tombstone is read again, because a newer delete may have run
 * between the two (a backfill racing the live stream): if one did, that delete is applied again (it
 * removes the item only while the item is older than the delete) and the delete stands.
 */
const applyPut = (writer: SyncWriter, key: AttributeMap, image: AttributeMap, stamp: SyncStamp): ResultAsync<WriteResult, DomainError> =>
  safeTry(async function* () {
    if (olderOrEqual(stamp, yield* writer.tombstones.newest(key))) return ok("stale" as const);
    if ((yield* settled(yield* writer.target.putIfNewer(key, image, stamp, !writer.twoWay))) === "stale") return ok("stale" as const);
    const tombstone = yield* writer.tombstones.newest(key);
    if (tombstone !== undefined && compareStamps(stamp, tombstone) < 0) {
      yield* settled(yield* writer.target.deleteIfOlder(key, tombstone, !writer.twoWay));
      return ok("stale" as const);
    }
    return ok("written" as const);
  });

/**
 * A delete, by the same rule: the tombstone first (so that a put racing it sees it when it checks
 * again), then the item's conditional delete.
 */
const applyDelete = (writer: SyncWriter, key: AttributeMap, stamp: SyncStamp): ResultAsync<WriteResult, DomainError> =>
  safeTry(async function* () {
    if ((yield* writer.tombstones.record(key, stamp)) === "stale") return ok("stale" as const);
    return ok(yield* settled(yield* writer.target.deleteIfOlder(key, stamp, !writer.twoWay)));
  });

/**
 * Applies one change to the target under the sync's rule (last writer wins by stamp; deletes leave a
 * tombstone), idempotently: a duplicate, a reordered or a redriven change is `stale`, never a step
 * backwards. The writer's core, shared by the FIFO writer and the backfill.
 */
export const applySyncChange = (change: SyncChange, writer: SyncWriter): ResultAsync<WriteResult, DomainError> =>
  change.kind === "delete"
    ? applyDelete(writer, change.key, change.stamp)
    : imageOf(change, writer).andThen((image) =>
        image === undefined ? applyDelete(writer, change.key, change.stamp) : applyPut(writer, change.key, image, change.stamp),
      );
