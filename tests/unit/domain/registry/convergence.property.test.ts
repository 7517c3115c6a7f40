import fc from "fast-check";
import { parseRegistryEvent } from "../../../../src/domain/registry/parse-registry-event";
import { type ReplicaRecord, toReplicaRecord } from "../../../../src/domain/registry/replica-record";
import { InMemoryReplica } from "../../../support/in-memory-replica";
import { operationArbitrary, simulateRegistry } from "../../../support/registry-history";
import { shadowOperationArbitrary, simulateShadows } from "../../../support/shadow-history";

const context = { sourceRegion: "eu-west-1", now: 5_000_000, tombstoneTtlSeconds: 86_400 };
const toRecord = (payload: unknown): ReplicaRecord =>
  parseRegistryEvent(payload)
    .andThen((event) => toReplicaRecord(event, context))
    ._unsafeUnwrap();

const replicate = (records: readonly ReplicaRecord[]): InMemoryReplica => {
  const replica = new InMemoryReplica();
  for (const record of records) replica.apply(record);
  return replica;
};

/** A delivery of the history as SQS and IoT rules may make it: any order, any event any number of times. */
const deliveryArbitrary = (count: number) =>
  fc.tuple(
    fc.array(fc.nat({ max: Math.max(0, count - 1) }), { maxLength: count * 2 }),
    fc.array(fc.nat(), { minLength: count * 3, maxLength: count * 3 }),
  );

const deliver = (records: readonly ReplicaRecord[], [duplicates, sortKeys]: [number[], number[]]): ReplicaRecord[] => {
  const withDuplicates = [...records, ...duplicates.filter((i) => i < records.length).map((i) => records[i] as ReplicaRecord)];
  return withDuplicates
    .map((record, index) => ({ record, key: sortKeys[index] ?? index }))
    .sort((a, b) => a.key - b.key)
    .map(({ record }) => record);
};

/** The replica holds exactly the live entities with their last state, and a tombstone for every other record. */
const expectLiveState = (
  replica: ReadonlyMap<string, ReplicaRecord>,
  live: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): void => {
  for (const [key, record] of replica) {
    const expected = live.get(key);
    if (expected) {
      expect(record.status).toBe("ACTIVE");
      expect(record.fields).toMatchObject(expected);
    } else {
      expect(record.status).toBe("DELETED");
    }
  }
  for (const key of live.keys()) expect(replica.get(key)?.status).toBe("ACTIVE");
};

describe("convergence of the replica under at-least-once, out-of-order delivery", () => {
  it.each([false, true])(
    "any duplication and permutation of a history converges to in-order application (versioned events share a millisecond: %s)",
    (sameMillisecond) => {
      fc.assert(
        fc.property(
          fc.array(operationArbitrary, { minLength: 1, maxLength: 40 }).chain((operations) => {
            const history = simulateRegistry(operations, sameMillisecond);
            return fc.tuple(fc.constant(history), deliveryArbitrary(history.events.length));
          }),
          ([history, delivery]) => {
            const records = history.events.map(toRecord);
            const inOrder = replicate(records).byEntity("eu-west-1");
            const shuffled = replicate(deliver(records, delivery)).byEntity("eu-west-1");
            expect(shuffled).toEqual(inOrder);
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it.each([false, true])(
    "ends with exactly the registry's final state: live entities ACTIVE with their last fields, the rest tombstones (same millisecond: %s)",
    (sameMillisecond) => {
      fc.assert(
        fc.property(fc.array(operationArbitrary, { minLength: 1, maxLength: 40 }), fc.nat(), (operations, seed) => {
          const history = simulateRegistry(operations, sameMillisecond);
          const records = history.events.map(toRecord);
          const shuffled = [...records].sort(
            (a, b) => ((a.stamp.timestamp * 7919 + seed) % 101) - ((b.stamp.timestamp * 7919 + seed) % 101),
          );
          const replica = replicate([...shuffled, ...records.slice(0, 3)]).byEntity("eu-west-1");
          expectLiveState(replica, history.live);
        }),
        { numRuns: 300 },
      );
    },
  );

  it("ties within one millisecond on a relation converge to the same record in every order", () => {
    const added = {
      eventType: "THING_GROUP_MEMBERSHIP_EVENT",
      eventId: "e-1",
      timestamp: 10,
      operation: "ADDED",
      groupArn: "arn:aws:iot:us-east-1:123456789012:thinggroup/g",
      thingArn: "arn:aws:iot:us-east-1:123456789012:thing/t",
    };
    const removed = { ...added, eventId: "e-2", operation: "REMOVED" };
    const forwards = replicate([toRecord(added), toRecord(removed)]).byEntity("eu-west-1");
    const backwards = replicate([toRecord(removed), toRecord(added)]).byEntity("eu-west-1");
    expect(forwards).toEqual(backwards);
    expect(forwards.get("thingGroupMembership#g#t")?.status).toBe("DELETED");
  });

  describe("shadows (versions without incarnation ids: by version within 48 hours, by timestamp beyond)", () => {
    const shadowHistory = fc.array(shadowOperationArbitrary, { minLength: 1, maxLength: 40 }).map(simulateShadows);

    it("any duplication and permutation of a shadow history converges to in-order application", () => {
      fc.assert(
        fc.property(
          shadowHistory.chain((history) => fc.tuple(fc.constant(history), deliveryArbitrary(history.messages.length))),
          ([history, delivery]) => {
            const records = history.messages.map(toRecord);
            const inOrder = replicate(records).byEntity("eu-west-1");
            expect(replicate(deliver(records, delivery)).byEntity("eu-west-1")).toEqual(inOrder);
          },
        ),
        { numRuns: 500 },
      );
    });

    it("ends with each shadow's last document, or a tombstone for a deleted one, in every order", () => {
      fc.assert(
        fc.property(
          shadowHistory.chain((history) => fc.tuple(fc.constant(history), deliveryArbitrary(history.messages.length))),
          ([history, delivery]) => {
            const replica = replicate(deliver(history.messages.map(toRecord), delivery)).byEntity("eu-west-1");
            expectLiveState(replica, history.live);
          },
        ),
        { numRuns: 500 },
      );
    });

    it("a shadow re-created more than 48 hours after its delete (version back to 1) beats the tombstone, in both orders", () => {
      const { messages } = simulateShadows([
        { op: "update", shadow: "bulb-1", color: "red" },
        { op: "update", shadow: "bulb-1", color: "blue" },
        { op: "delete", shadow: "bulb-1" },
        { op: "wait", seconds: 48 * 3600 + 1 },
        { op: "update", shadow: "bulb-1", color: "green" },
      ]);
      const records = messages.map(toRecord);
      const forwards = replicate(records).byEntity("eu-west-1").get("shadow#bulb-1");
      const backwards = replicate([...records].reverse())
        .byEntity("eu-west-1")
        .get("shadow#bulb-1");
      expect(backwards).toEqual(forwards);
      expect(forwards?.fields).toMatchObject({ Desired: { color: "green" }, ShadowVersion: 1 });
    });
  });
});
