/**
 * The ordering rule of the replica: which of two writes for the same (entity, region) record is the
 * newer one. Registry events arrive at least once and in any order; keeping only the newer write per
 * record makes every permutation and duplication of a history converge to the same records.
 *
 * Newer means, in this order of precedence:
 * 1. a live event beats a backfill snapshot (a snapshot only fills in what no event has told us yet);
 * 2. within one incarnation of a versioned entity (same thingId / thingGroupId): higher version, then a
 *    delete beats a change at the same version (AWS sends the deleted thing's last version);
 * 3. for shadows, which have versions but no incarnation id: when the two timestamps are less than
 *    48 hours apart, as in 2 (higher version, then delete beats change at the same version, then
 *    timestamp); when they are 48 hours or more apart, as in 4. Why: AWS continues a shadow's version
 *    across a delete and re-create within 48 hours (the new document follows the deleted one) and
 *    restarts it only when the shadow stayed deleted for more than 48 hours. So two writes less than
 *    48 hours apart always belong to one run of versions, where the version is exact even within one
 *    second (shadow timestamps are whole seconds), and a restart is always more than 48 hours after
 *    everything before it, where the timestamp alone is right;
 * 4. otherwise (another incarnation: deleted and re-created, version restarts at 1; or a kind without
 *    versions): later timestamp, then delete beats change;
 * 5. the larger eventId breaks any remaining tie, so that duplicates are no-ops and every replica
 *    picks the same winner.
 *
 * Rule 3 orders every history AWS can produce the way it happened (which is what convergence needs),
 * though not arbitrary made-up stamps: versions that go down within 48 hours never come from AWS.
 */
export const Origin = { Snapshot: 0, Event: 1 } as const;
export type Origin = (typeof Origin)[keyof typeof Origin];

export const Rank = { Change: 0, Delete: 1 } as const;
export type Rank = (typeof Rank)[keyof typeof Rank];

export interface Sequence {
  /**
   * The id AWS gives this incarnation of the entity (thingId, thingGroupId). Absent for shadows, whose
   * version runs on across a delete and re-create within 48 hours (rule 3).
   */
  readonly incarnation?: string;
  readonly version: number;
}

/** How long AWS remembers a deleted shadow's version (device-shadow-data-flow), in milliseconds. */
export const SHADOW_VERSION_MEMORY_MS = 48 * 60 * 60 * 1000;

export interface OrderingStamp {
  readonly origin: Origin;
  /** Present only for kinds that AWS versions (things, thing groups, shadows), and only for live events. */
  readonly sequence?: Sequence;
  readonly rank: Rank;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly eventId: string;
}

const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rules 2 and 3: both stamps are in one run of versions. */
const inOneRunOfVersions = (a: OrderingStamp, b: OrderingStamp): boolean => {
  if (!a.sequence || !b.sequence) return false;
  if (a.sequence.incarnation !== undefined || b.sequence.incarnation !== undefined) {
    return a.sequence.incarnation === b.sequence.incarnation;
  }
  return Math.abs(a.timestamp - b.timestamp) < SHADOW_VERSION_MEMORY_MS;
};

/** Negative when `a` is older than `b`, positive when newer, zero only for the same write. */
export const compareStamps = (a: OrderingStamp, b: OrderingStamp): number => {
  const byOrigin = compareNumbers(a.origin, b.origin);
  if (byOrigin !== 0) return byOrigin;
  if (a.sequence && b.sequence && inOneRunOfVersions(a, b)) {
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
