import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";

/**
 * The sync's ordering of changes to one item, last writer wins: the change's time (milliseconds),
 * then the origin's name (a deterministic tie-break between the two sides), then the origin's stream
 * SequenceNumber (numeric; orders the changes of one origin that share a coarse stream time: AWS gives
 * seconds, DynamoDB Local the minute).
 */
export interface SyncStamp {
  readonly time: number;
  readonly origin: string;
  readonly sequence: string;
}

/** The metadata attributes the sync keeps in the items it writes (documented in the README). */
export const SYNC_ATTRIBUTES = {
  /** The encoded stamp of the change that wrote the item: the conditional writes compare it. */
  stamp: "SyncStamp",
  /** The side whose change wrote the item, for people and for the two-way forwarder. */
  origin: "SyncOrigin",
  /** Set (true) on an item the sync is about to delete, so the other side's forwarder skips the removal. */
  deleted: "SyncDeleted",
  /** Set (true) on data a two-way forwarder restored (a local change the sync had overwritten with an older one). */
  restored: "SyncRestored",
} as const;

export const SYNC_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(Object.values(SYNC_ATTRIBUTES));

const TIME_DIGITS = 15;
const SEQUENCE_DIGITS = 40;
/** Origin names sort above the separator, so that the encoded string sorts exactly as compareStamps. */
const ORIGIN_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const SEQUENCE = /^[0-9]{1,40}$/;

export const validOriginName = (origin: string): boolean => ORIGIN_NAME.test(origin);

/**
 * The stamp as one string whose lexicographic order is the stamp order (fixed-width time and
 * sequence, `#` below every character an origin name may hold), so that one DynamoDB condition
 * `SyncStamp < :stamp` enforces the rule with no read before the write.
 */
export const encodeStamp = (stamp: SyncStamp): string =>
  `${String(stamp.time).padStart(TIME_DIGITS, "0")}#${stamp.origin}#${stamp.sequence.padStart(SEQUENCE_DIGITS, "0")}`;

export const decodeStamp = (encoded: string): Result<SyncStamp, InvalidEvent> => {
  const [time, origin, sequence, ...rest] = encoded.split("#");
  if (rest.length > 0 || time === undefined || origin === undefined || sequence === undefined || !/^[0-9]{15}$/.test(time))
    return err(new InvalidEvent(`${JSON.stringify(encoded)} is not a sync stamp (time#origin#sequence)`, SYNC_ATTRIBUTES.stamp));
  if (!validOriginName(origin) || !SEQUENCE.test(sequence))
    return err(new InvalidEvent(`${JSON.stringify(encoded)} is not a sync stamp (time#origin#sequence)`, SYNC_ATTRIBUTES.stamp));
  return ok({ time: Number(time), origin, sequence: sequence.replace(/^0+(?=[0-9])/, "") });
};

/** Negative when `a` is older than `b`, 0 when they are the same change, positive when `a` is newer. */
export const compareStamps = (a: SyncStamp, b: SyncStamp): number => {
  const left = encodeStamp(a);
  const right = encodeStamp(b);
  return left < right ? -1 : left > right ? 1 : 0;
};

export const isNewerStamp = (candidate: SyncStamp, current: SyncStamp | undefined): boolean =>
  current === undefined || compareStamps(candidate, current) > 0;

/**
 * The stamp of a change read from the origin's stream. A change made to an item that already carries a
 * stamp was made after that stamp's change (it saw its result), so it is ordered after it even when
 * the two sides' clocks disagree: its time is at least one millisecond past the stamp it replaced.
 */
export const stampOfChange = (origin: string, approximateTimeMs: number, sequence: string, replaced?: SyncStamp): SyncStamp => ({
  time: replaced === undefined ? approximateTimeMs : Math.max(approximateTimeMs, replaced.time + 1),
  origin,
  sequence,
});

/**
 * The stamp of an item copied by a backfill whose scan started at `scanStartMs`: earlier, by `marginMs`
 * (more than the stream time's coarseness), than any change made after the scan began, so that a live
 * change always wins over the copy and the copy never moves an item backwards. Sequence 0 is below
 * every stream record's.
 */
export const stampOfBackfill = (origin: string, scanStartMs: number, marginMs: number): SyncStamp => ({
  time: Math.max(0, scanStartMs - marginMs),
  origin,
  sequence: "0",
});
