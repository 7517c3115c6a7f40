import { Origin } from "../registry/ordering";
import type { ReplicaRecord } from "../registry/replica-record";

export interface LagSummary {
  /** Changes measured: recent live events of the primary that the secondary has captured since. */
  readonly samples: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly maxMs: number | undefined;
}

export interface Backlog {
  /** Primary changes the secondary has not caught up with (no record there, or one captured before the change). */
  readonly count: number;
  /** Age of the oldest of them at `now`, in milliseconds. */
  readonly oldestAgeMs: number | undefined;
  /** The first few, oldest first, as entity keys. */
  readonly oldest: readonly string[];
}

export interface ReplicationStatus {
  readonly lag: LagSummary;
  readonly backlog: Backlog;
}

/** The nearest-rank percentile of sorted values (p in 0..100). */
export const percentile = (sorted: readonly number[], p: number): number | undefined =>
  sorted.length === 0 ? undefined : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const keyOf = (record: ReplicaRecord): string => `${record.entityType}#${record.entityName}`;

/**
 * Replication lag and backlog from the replica table alone. For each primary record, the secondary's
 * record of the same entity shows when the secondary caught up: if it was captured at or after the
 * primary's change, the lag is the secondary's CapturedAt minus the change's own timestamp (live
 * events only: a snapshot's timestamp is when its listing started, not when anything changed), over
 * the most recent `window` changes; otherwise the change is backlog. A primary tombstone with no
 * secondary record is not backlog: there is nothing to delete there.
 */
export const replicationStatus = (
  primaryRecords: readonly ReplicaRecord[],
  secondaryRecords: readonly ReplicaRecord[],
  now: number,
  window: number,
): ReplicationStatus => {
  const secondary = new Map(secondaryRecords.map((record) => [keyOf(record), record]));
  const pending: ReplicaRecord[] = [];
  const caughtUp: { at: number; lag: number }[] = [];
  for (const record of primaryRecords) {
    const copy = secondary.get(keyOf(record));
    if (copy && copy.capturedAt >= record.stamp.timestamp) {
      if (record.stamp.origin === Origin.Event)
        caughtUp.push({ at: record.stamp.timestamp, lag: copy.capturedAt - record.stamp.timestamp });
    } else if (record.status === "ACTIVE" || copy?.status === "ACTIVE") pending.push(record);
  }
  const recent = caughtUp
    .sort((a, b) => b.at - a.at)
    .slice(0, window)
    .map((sample) => sample.lag)
    .sort((a, b) => a - b);
  pending.sort((a, b) => a.stamp.timestamp - b.stamp.timestamp);
  const oldest = pending[0];
  return {
    lag: { samples: recent.length, p50Ms: percentile(recent, 50), p99Ms: percentile(recent, 99), maxMs: recent.at(-1) },
    backlog: {
      count: pending.length,
      oldestAgeMs: oldest ? Math.max(0, now - oldest.stamp.timestamp) : undefined,
      oldest: pending.slice(0, 5).map(keyOf),
    },
  };
};
