import { Origin, Rank } from "../../../../src/domain/registry/ordering";
import type { ReplicaRecord } from "../../../../src/domain/registry/replica-record";
import { percentile, replicationStatus } from "../../../../src/domain/verification/replication-status";

const record = (
  sourceRegion: string,
  entityName: string,
  timestamp: number,
  capturedAt: number,
  options: { origin?: Origin; status?: "ACTIVE" | "DELETED" } = {},
): ReplicaRecord => ({
  entityType: "thing",
  entityName,
  sourceRegion,
  status: options.status ?? "ACTIVE",
  stamp: { origin: options.origin ?? Origin.Event, rank: Rank.Change, timestamp, eventId: `${entityName}-${timestamp}` },
  capturedAt,
  fields: {},
});

describe("replicationStatus", () => {
  it("measures lag as the secondary's capture time minus the primary change's time, over the most recent changes", () => {
    const primary = [record("p", "a", 1000, 1010), record("p", "b", 2000, 2010), record("p", "c", 3000, 3010)];
    const secondary = [record("s", "a", 1100, 1100), record("s", "b", 2300, 2300), record("s", "c", 3050, 3050)];
    expect(replicationStatus(primary, secondary, 5000, 10).lag).toEqual({ samples: 3, p50Ms: 100, p99Ms: 300, maxMs: 300 });
    // Only the two most recent changes (b, c).
    expect(replicationStatus(primary, secondary, 5000, 2).lag).toEqual({ samples: 2, p50Ms: 50, p99Ms: 300, maxMs: 300 });
  });

  it("counts as backlog a primary change with no secondary record, or one captured before the change", () => {
    const primary = [record("p", "new", 4000, 4001), record("p", "stale", 3000, 3001), record("p", "ok", 1000, 1001)];
    const secondary = [record("s", "stale", 2000, 2000), record("s", "ok", 1500, 1500)];
    const { backlog, lag } = replicationStatus(primary, secondary, 10_000, 100);
    expect(backlog).toEqual({ count: 2, oldestAgeMs: 7000, oldest: ["thing#stale", "thing#new"] });
    expect(lag.samples).toBe(1);
  });

  it("leaves snapshots out of the lag and a primary tombstone without a secondary record out of the backlog", () => {
    const primary = [
      record("p", "listed", 1000, 1000, { origin: Origin.Snapshot }),
      record("p", "gone", 1000, 1000, { status: "DELETED" }),
    ];
    const secondary = [record("s", "listed", 9000, 9000)];
    expect(replicationStatus(primary, secondary, 10_000, 100)).toEqual({
      lag: { samples: 0, p50Ms: undefined, p99Ms: undefined, maxMs: undefined },
      backlog: { count: 0, oldestAgeMs: undefined, oldest: [] },
    });
  });

  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 99), percentile([7], 99), percentile([], 50)]).toEqual([50, 99, 7, undefined]);
  });
});
