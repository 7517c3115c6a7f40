/**
 * The ordering rule of the replica: which of two writes for the same (entity, region) record is the
 * newer one. Registry events arrive at least once and in any order; keeping only the newer write per
 * record makes every permutation and duplication of a history converge to the same records.
 *
 * Newer means, in this order of precedence:
 * 1. a live event beats a backfill snapshot (a snapshot only fills in what no event has told us yet);
 * 2. within one incarnation of a versioned entity (same thingId / thingGroupId): higher version, then a
 *    delete beats a change at the same version (AWS sends the deleted thing's last version);
 * 3. otherwise (another incarnation: deleted and re-created, version restarts at 1; or a kind without
 *    versions): later timestamp, then delete beats change;
 * 4. the larger eventId breaks any remaining tie, so that duplicates are no-ops and every replica
 *    picks the same winner.
 */
export const Origin = { Snapshot: 0, Event: 1 } as const;
export type Origin = (typeof Origin)[keyof typeof Origin];

export const Rank = { Change: 0, Delete: 1 } as const;
export type Rank = (typeof Rank)[keyof typeof Rank];

export interface Sequence {
  /** The id AWS gives this incarnation of the entity (thingId, thingGroupId). */
  readonly incarnation: string;
  readonly version: number;
}

export interface OrderingStamp {
  readonly origin: Origin;
  /** Present only for kinds that AWS versions (things, thing groups), and only for live events. */
  readonly sequence?: Sequence;
  readonly rank: Rank;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly eventId: string;
}

const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Negative when `a` is older than `b`, positive when newer, zero only for the same write. */
export const compareStamps = (a: OrderingStamp, b: OrderingStamp): number => {
  const byOrigin = compareNumbers(a.origin, b.origin);
  if (byOrigin !== 0) return byOrigin;
  if (a.sequence && b.sequence && a.sequence.incarnation === b.sequence.incarnation) {
    return (
      compareNumbers(a.sequence.version, b.sequence.version) ||
      compareNumbers(a.rank, b.rank) ||
      compareNumbers(a.timestamp, b.timestamp) ||
      compareStrings(a.eventId, b.eventId)
    );
  }
  return compareNumbers(a.timestamp, b.timestamp) || compareNumbers(a.rank, b.rank) || compareStrings(a.eventId, b.eventId);
};

export const isNewerThan = (candidate: OrderingStamp, current: OrderingStamp): boolean => compareStamps(candidate, current) > 0;
