import { compareStamps, isNewerThan, type OrderingStamp, Origin, Rank } from "../../../../src/domain/registry/ordering";

const event = (overrides: Partial<OrderingStamp> = {}): OrderingStamp => ({
  origin: Origin.Event,
  sequence: { incarnation: "thing-id-A", version: 3 },
  rank: Rank.Change,
  timestamp: 1_000,
  eventId: "m",
  ...overrides,
});

describe("isNewerThan", () => {
  it("is false for the same write (a duplicate delivery is a no-op)", () => {
    expect(isNewerThan(event(), event())).toBe(false);
  });

  it("orders one incarnation by version, even against the timestamps", () => {
    const v4Early = event({ sequence: { incarnation: "thing-id-A", version: 4 }, timestamp: 500 });
    expect(isNewerThan(v4Early, event())).toBe(true);
    expect(isNewerThan(event(), v4Early)).toBe(false);
  });

  it("lets a delete beat an update of the same version (AWS sends the deleted thing's last version)", () => {
    const deleted = event({ rank: Rank.Delete, timestamp: 900, eventId: "a" });
    expect(isNewerThan(deleted, event())).toBe(true);
    expect(isNewerThan(event(), deleted)).toBe(false);
  });

  it("orders incarnations by timestamp: a re-created thing (version 1) beats the deleted one (version 9)", () => {
    const tombstone = event({ sequence: { incarnation: "thing-id-A", version: 9 }, rank: Rank.Delete, timestamp: 2_000 });
    const recreated = event({ sequence: { incarnation: "thing-id-B", version: 1 }, timestamp: 2_001 });
    expect(isNewerThan(recreated, tombstone)).toBe(true);
    expect(isNewerThan(tombstone, recreated)).toBe(false);
  });

  it("keeps a tombstone against a late update of the old incarnation", () => {
    const tombstone = event({ rank: Rank.Delete, timestamp: 2_000 });
    const lateUpdate = event({ sequence: { incarnation: "thing-id-A", version: 2 }, timestamp: 1_500 });
    expect(isNewerThan(lateUpdate, tombstone)).toBe(false);
  });

  it("orders kinds without versions by timestamp, then delete over change, then eventId", () => {
    const unversioned = (overrides: Partial<OrderingStamp>): OrderingStamp => ({
      origin: Origin.Event,
      rank: Rank.Change,
      timestamp: 1_000,
      eventId: "m",
      ...overrides,
    });
    expect(isNewerThan(unversioned({ timestamp: 1_001 }), unversioned({ timestamp: 1_000, rank: Rank.Delete }))).toBe(true);
    expect(isNewerThan(unversioned({ rank: Rank.Delete, eventId: "a" }), unversioned({ eventId: "z" }))).toBe(true);
    expect(isNewerThan(unversioned({ eventId: "n" }), unversioned({ eventId: "m" }))).toBe(true);
  });

  it("breaks a full tie by eventId so that every replica picks the same winner", () => {
    expect(isNewerThan(event({ eventId: "b" }), event({ eventId: "a" }))).toBe(true);
    expect(isNewerThan(event({ eventId: "a" }), event({ eventId: "b" }))).toBe(false);
  });

  it("never lets a backfill snapshot overwrite a live event, however new the snapshot", () => {
    const snapshot: OrderingStamp = { origin: Origin.Snapshot, rank: Rank.Change, timestamp: 9_999_999, eventId: "snapshot" };
    expect(isNewerThan(snapshot, event({ rank: Rank.Delete }))).toBe(false);
    expect(isNewerThan(event({ timestamp: 1 }), snapshot)).toBe(true);
  });

  it("lets a later snapshot replace an earlier one", () => {
    const first: OrderingStamp = { origin: Origin.Snapshot, rank: Rank.Change, timestamp: 100, eventId: "snapshot-100" };
    const second: OrderingStamp = { ...first, timestamp: 200, eventId: "snapshot-200" };
    expect(isNewerThan(second, first)).toBe(true);
    expect(isNewerThan(first, second)).toBe(false);
  });

  it("is antisymmetric: compareStamps(a, b) = -compareStamps(b, a)", () => {
    const stamps = [
      event(),
      event({ rank: Rank.Delete }),
      event({ sequence: { incarnation: "B", version: 1 }, timestamp: 3 }),
      event({ eventId: "z" }),
    ];
    for (const a of stamps) for (const b of stamps) expect(Math.sign(compareStamps(a, b)) + Math.sign(compareStamps(b, a))).toBe(0);
  });

  describe("shadows: versions without incarnation ids", () => {
    const HOUR = 3_600_000;
    const shadow = (version: number, timestamp: number, overrides: Partial<OrderingStamp> = {}): OrderingStamp => ({
      origin: Origin.Event,
      sequence: { version },
      rank: Rank.Change,
      timestamp,
      eventId: `${version}@${timestamp}`,
      ...overrides,
    });

    it("orders writes less than 48 hours apart by version, even within one second or against the clock", () => {
      expect(isNewerThan(shadow(5, 1_000), shadow(4, 1_000))).toBe(true);
      expect(isNewerThan(shadow(5, 1_000), shadow(4, 2_000))).toBe(true);
      expect(isNewerThan(shadow(4, 47 * HOUR), shadow(5, 0))).toBe(false);
    });

    it("lets a delete beat the update of the same version, and a re-create within 48 hours (next version) beat the delete", () => {
      const deleted = shadow(5, 1_000, { rank: Rank.Delete });
      expect(isNewerThan(deleted, shadow(5, 1_000))).toBe(true);
      expect(isNewerThan(shadow(6, 1_000), deleted)).toBe(true);
      expect(isNewerThan(shadow(5, 2_000), deleted)).toBe(false);
    });

    it("orders writes 48 hours or more apart by timestamp: a shadow re-created after 48 hours restarts at version 1", () => {
      const tombstone = shadow(9, 0, { rank: Rank.Delete });
      expect(isNewerThan(shadow(1, 48 * HOUR), tombstone)).toBe(true);
      expect(isNewerThan(tombstone, shadow(1, 48 * HOUR))).toBe(false);
      expect(isNewerThan(shadow(1, 48 * HOUR - 1), tombstone)).toBe(false);
    });

    it("orders a shadow stamp against any other stamp by timestamp, antisymmetrically", () => {
      const stamps = [
        shadow(3, 1_000),
        shadow(1, 1_000, { rank: Rank.Delete }),
        shadow(2, 49 * HOUR),
        event(),
        event({ sequence: undefined }),
      ];
      for (const a of stamps) for (const b of stamps) expect(Math.sign(compareStamps(a, b)) + Math.sign(compareStamps(b, a))).toBe(0);
    });
  });
});
