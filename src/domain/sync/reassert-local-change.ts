import { ok, okAsync, type ResultAsync, safeTry } from "neverthrow";
import type { DomainError } from "../shared/errors";
import { type AttributeMap, itemFingerprint } from "./sync-item";
import type { SyncChange } from "./sync-message";
import type { OwnTable, TombstoneStore, WriteResult } from "./sync-ports";
import { compareStamps, decodeStamp, SYNC_ATTRIBUTES, type SyncStamp } from "./sync-stamp";

export interface OwnSide {
  readonly table: OwnTable;
  readonly tombstones: TombstoneStore;
}

const carriedStamp = (item: AttributeMap | undefined): SyncStamp | undefined => {
  const value = item?.[SYNC_ATTRIBUTES.stamp] as { S?: unknown } | undefined;
  if (typeof value?.S !== "string") return undefined;
  const decoded = decodeStamp(value.S);
  return decoded.isOk() ? decoded.value : undefined;
};

const older = (stamp: SyncStamp | undefined, than: SyncStamp): boolean => stamp !== undefined && compareStamps(stamp, than) < 0;

/**
 * Re-asserts a local put on its own side (two-way mode), so that the item carries the stamp of the
 * change that made it and an older change from the other side cannot overwrite it. It never moves
 * the item backwards: it reads the item and
 * - restores this change's data when the sync overwrote it meanwhile with something older (a stamp
 *   other than the one the change's image carried), or deleted it with an older delete (absent, the
 *   newest tombstone the other side's);
 * - else stamps it in place when it still holds this change's data;
 * - leaves it alone when a later local write superseded it: that write's own record re-asserts it.
 * Every write is conditional on the state it read, so a race costs a retry of nothing: the later
 * record of whatever raced it settles the item.
 */
const reassertPut = (
  side: OwnSide,
  change: SyncChange,
  image: AttributeMap,
  imageStamp: SyncStamp | undefined,
): ResultAsync<WriteResult, DomainError> =>
  safeTry(async function* () {
    const current = yield* side.table.read(change.key);
    if (current === undefined) {
      const tombstone = yield* side.tombstones.newest(change.key);
      if (tombstone === undefined || tombstone.origin === change.stamp.origin || !older(tombstone, change.stamp))
        return ok("stale" as const);
      return ok(yield* side.table.putIfStill(change.key, image, change.stamp, "absent", true));
    }
    const stamp = carriedStamp(current);
    if (stamp !== undefined && !older(stamp, change.stamp)) return ok("stale" as const);
    const expected = stamp ?? "unstamped";
    const overwrittenBySync = stamp !== undefined && (imageStamp === undefined || compareStamps(stamp, imageStamp) !== 0);
    if (overwrittenBySync) return ok(yield* side.table.putIfStill(change.key, image, change.stamp, expected, true));
    if (itemFingerprint(current) === itemFingerprint(image))
      return ok(yield* side.table.putIfStill(change.key, image, change.stamp, expected, false));
    return ok("stale" as const);
  });

/**
 * Re-asserts a local delete: its tombstone on this side (so a late older put from the other side
 * cannot bring the item back), and the removal of an older copy the sync wrote meanwhile (the other
 * side's change, landed on the absent item before the tombstone was there, or data this side's
 * re-assertion restored); an item stamped in place may be a later local write: its own record settles it.
 */
const reassertDelete = (side: OwnSide, change: SyncChange): ResultAsync<WriteResult, DomainError> =>
  safeTry(async function* () {
    if ((yield* side.tombstones.record(change.key, change.stamp)) === "stale") return ok("stale" as const);
    yield* side.table.deleteSyncedOlder(change.key, change.stamp);
    return ok("written" as const);
  });

/** `imageStamp`: the stamp the local change's new image still carried (see Reassertion). */
export const reassertLocalChange = (
  side: OwnSide,
  change: SyncChange,
  imageStamp: SyncStamp | undefined,
): ResultAsync<WriteResult, DomainError> =>
  change.kind === "delete"
    ? reassertDelete(side, change)
    : change.image === undefined
      ? okAsync("stale" as const)
      : reassertPut(side, change, change.image, imageStamp);
