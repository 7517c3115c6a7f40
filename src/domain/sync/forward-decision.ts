import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import type { StreamChange } from "./stream-change";
import { type AttributeMap, type AttributeProjection, projectAttributes, withoutSyncAttributes } from "./sync-item";
import type { SyncChange, SyncMessage } from "./sync-message";
import { compareStamps, decodeStamp, SYNC_ATTRIBUTES, type SyncStamp, stampOfChange } from "./sync-stamp";

export interface ForwardOptions {
  /** This side's name (the stamps' origin): e.g. the source region. */
  readonly origin: string;
  /** A stack on both sides: skip the sync's own writes and re-assert local changes on this side. */
  readonly twoWay: boolean;
  readonly timeToLiveDeletions: "replicate" | "skip";
  readonly projection: AttributeProjection;
}

/**
 * What the forwarder does with one stream record: skip it (with the reason, for the log), or forward
 * the change to the FIFO queue and, in two-way mode, re-assert it on this side (`reassert`: the same
 * change, unprojected, applied to this side's table under the same rule, which stamps the local item
 * so that an older change from the other side cannot overwrite it).
 */
export type ForwardDecision =
  | { readonly kind: "skip"; readonly reason: string }
  | { readonly kind: "forward"; readonly message: SyncMessage; readonly reassert?: Reassertion; readonly issued?: IssuedStamp };

/**
 * The local change to re-assert on this side, and the stamp its new image still carried (an update
 * keeps the item's stamp, a put drops it): a different stamp on the item later means the sync wrote it.
 */
export interface Reassertion {
  readonly change: SyncChange;
  readonly imageStamp?: SyncStamp;
}

const stringValue = (item: AttributeMap | undefined, name: string): string | undefined => {
  const value = item?.[name];
  return value !== null && typeof value === "object" && typeof (value as { S?: unknown }).S === "string"
    ? (value as { S: string }).S
    : undefined;
};

/**
 * Whether the sync itself made this change (two-way mode, NEW_AND_OLD_IMAGES): a put that wrote a
 * new SyncStamp (the writer from the other side, or this side's own re-assertion), or a removal of an
 * item the writer had marked SyncDeleted. A local application write leaves the stamp as it was (an
 * update) or drops it (a put), so it is never mistaken for the sync's.
 */
const madeBySync = (change: StreamChange): Result<boolean, InvalidEvent> => {
  if (change.kind === "put") {
    if (change.newImage === undefined)
      return err(new InvalidEvent("two-way sync needs the NEW_AND_OLD_IMAGES stream view (no new image)", "dynamodb.NewImage"));
    const written = stringValue(change.newImage, SYNC_ATTRIBUTES.stamp);
    return ok(written !== undefined && written !== stringValue(change.oldImage, SYNC_ATTRIBUTES.stamp));
  }
  if (change.oldImage === undefined && !change.byTimeToLive)
    return err(new InvalidEvent("two-way sync needs the NEW_AND_OLD_IMAGES stream view (no old image)", "dynamodb.OldImage"));
  return ok(change.oldImage?.[SYNC_ATTRIBUTES.deleted] !== undefined);
};

/** The stamp an image carries, if the sync had stamped it. */
const carriedStamp = (image: AttributeMap | undefined): SyncStamp | undefined => {
  const encoded = stringValue(image, SYNC_ATTRIBUTES.stamp);
  const decoded = encoded === undefined ? undefined : decodeStamp(encoded);
  return decoded?.isOk() ? decoded.value : undefined;
};

/** The newest stamp this change replaced: the one the item carried, or the tombstone of the delete it undid. */
const replacedStamp = (carried: SyncStamp | undefined, tombstone: SyncStamp | undefined): SyncStamp | undefined => {
  if (carried === undefined || tombstone === undefined) return carried ?? tombstone;
  return compareStamps(carried, tombstone) >= 0 ? carried : tombstone;
};

const withImageStamp = (stamp: SyncStamp | undefined): { imageStamp?: SyncStamp } => (stamp === undefined ? {} : { imageStamp: stamp });

/** A stamp the forwarder gave a local change of an item, with the stream record it gave it to. */
export interface IssuedStamp {
  readonly stamp: SyncStamp;
  readonly eventId: string;
}

/**
 * What this side knows of the item (two-way mode, read before deciding): its tombstone, and the last
 * stamp the forwarder issued for it.
 */
export interface ItemHistory {
  readonly tombstone?: SyncStamp;
  readonly lastIssued?: IssuedStamp;
}

/**
 * The stamp of a local change in two-way mode. A change made to an item stamped by the sync (or
 * deleted by it) was made after that stamp's change, so it is ordered after it even when the coarse
 * stream time ties or the two sides' clocks disagree; and the stamps issued for one item only ever
 * grow, so a bump over the other side's stamp never reorders this side's own later changes. A
 * retried record gets the stamp it was given the first time.
 */
const stampOfLocalChange = (change: StreamChange, origin: string, history: ItemHistory): SyncStamp => {
  if (history.lastIssued?.eventId === change.eventId) return history.lastIssued.stamp;
  const stamp = stampOfChange(
    origin,
    change.approximateTimeMs,
    change.sequenceNumber,
    replacedStamp(carriedStamp(change.oldImage), history.tombstone),
  );
  const last = history.lastIssued?.stamp;
  return last !== undefined && compareStamps(stamp, last) <= 0 ? { ...stamp, time: last.time + 1 } : stamp;
};

/**
 * Decides the fate of one stream record of the source table (pure: the handler does the I/O and, in
 * two-way mode, records the `issued` stamp in the item's history).
 */
export const decideForward = (
  change: StreamChange,
  options: ForwardOptions,
  history: ItemHistory = {},
): Result<ForwardDecision, InvalidEvent> => {
  if (change.byTimeToLive && options.timeToLiveDeletions === "skip")
    return ok({ kind: "skip", reason: "a TTL deletion, and SyncTimeToLiveDeletions is skip" });
  const bySync = options.twoWay ? madeBySync(change) : ok(false);
  if (bySync.isErr()) return err(bySync.error);
  if (bySync.value) return ok({ kind: "skip", reason: "written by the sync itself (no loop)" });
  const stamp = options.twoWay
    ? stampOfLocalChange(change, options.origin, history)
    : stampOfChange(options.origin, change.approximateTimeMs, change.sequenceNumber);
  const image = change.kind === "put" && change.newImage !== undefined ? change.newImage : undefined;
  const message: SyncMessage = {
    eventId: change.eventId,
    kind: change.kind,
    key: change.key,
    ...(image !== undefined ? { image: projectAttributes(image, change.key, options.projection) } : {}),
    stamp,
  };
  if (!options.twoWay) return ok({ kind: "forward", message });
  const local: SyncChange = {
    kind: change.kind,
    key: change.key,
    ...(image !== undefined ? { image: withoutSyncAttributes(image) } : {}),
    stamp,
  };
  return ok({
    kind: "forward",
    message,
    reassert: { change: local, ...withImageStamp(carriedStamp(image)) },
    issued: { stamp, eventId: change.eventId },
  });
};
