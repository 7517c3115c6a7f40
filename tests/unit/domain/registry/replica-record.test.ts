import { ENTITY_KINDS } from "../../../../src/domain/registry/entity-kinds";
import { Origin, Rank } from "../../../../src/domain/registry/ordering";
import { parseRegistryEvent } from "../../../../src/domain/registry/parse-registry-event";
import {
  MAX_RECORD_FIELDS_BYTES,
  type SnapshotItem,
  snapshotToRecord,
  toReplicaRecord,
} from "../../../../src/domain/registry/replica-record";
import { registryPayloads } from "../../../support/sample-events";

const context = { sourceRegion: "us-east-1", now: 1_767_225_601_000, tombstoneTtlSeconds: 30 * 86_400 };
const payloads = registryPayloads("capture-every-registry-kind.json");
const recordOf = (payload: unknown) =>
  parseRegistryEvent(payload)
    .andThen((event) => toReplicaRecord(event, context))
    ._unsafeUnwrap();

describe("toReplicaRecord", () => {
  it("maps every kind to its own (entity, region) record", () => {
    expect(payloads.map((p) => [recordOf(p).entityType, recordOf(p).entityName])).toEqual([
      ["thing", "MyLightBulb5"],
      ["thingType", "LightBulb"],
      ["thingTypeAssociation", "MyLightBulb5#LightBulb"],
      ["thingGroup", "Kitchen"],
      ["thingGroupMembership", "Kitchen#MyLightBulb5"],
      ["thingGroupHierarchy", "House#Kitchen"],
    ]);
  });

  it("keeps ThingName for the public sample's scans and versions things by incarnation", () => {
    const record = recordOf(payloads[0]);
    expect(record).toMatchObject({
      sourceRegion: "us-east-1",
      status: "ACTIVE",
      capturedAt: context.now,
      fields: {
        ThingName: "MyLightBulb5",
        ThingId: "b604f69c-aa9a-4d4a-829e-c480e958a0b5",
        Version: 1,
        Attributes: { color: "red", wattage: "60" },
      },
      stamp: {
        origin: Origin.Event,
        sequence: { incarnation: "b604f69c-aa9a-4d4a-829e-c480e958a0b5", version: 1 },
        rank: Rank.Change,
        timestamp: 1767225600000,
      },
    });
    expect(record.expiresAt).toBeUndefined();
  });

  it("gives kinds without versionNumber no sequence, so they order by timestamp", () => {
    expect(recordOf(payloads[1]).stamp.sequence).toBeUndefined();
    expect(recordOf(payloads[4]).stamp.sequence).toBeUndefined();
  });

  it("gives only thing records a ThingName, so the public sample's scan for things finds nothing else", () => {
    const withThingName = payloads.map(recordOf).filter((record) => "ThingName" in record.fields);
    expect(withThingName.map((record) => record.entityType)).toEqual(["thing"]);
  });

  it("turns deletes and removals into tombstones without fields that expire after the TTL", () => {
    const deleted = recordOf({ ...payloads[0], operation: "DELETED" });
    const removed = recordOf({ ...payloads[4], operation: "REMOVED" });
    for (const tombstone of [deleted, removed]) {
      expect(tombstone.status).toBe("DELETED");
      expect(tombstone.stamp.rank).toBe(Rank.Delete);
      expect(tombstone.expiresAt).toBe(Math.floor(context.now / 1000) + 30 * 86_400);
      expect(tombstone.fields).toEqual({});
    }
  });

  it("rejects attributes that would not fit in a DynamoDB item", () => {
    const huge = { ...payloads[0], attributes: { blob: "x".repeat(MAX_RECORD_FIELDS_BYTES) } };
    const result = parseRegistryEvent(huge).andThen((event) => toReplicaRecord(event, context));
    expect(result._unsafeUnwrapErr().message).toMatch(/^attributes: record would be \d+ bytes/);
  });
});

describe("toReplicaRecord for shadows", () => {
  const shadowPayloads = registryPayloads("capture-shadow-documents.json");
  const shadowRecord = (index: number) =>
    toReplicaRecord(parseRegistryEvent(shadowPayloads[index])._unsafeUnwrap(), context)._unsafeUnwrap();

  it("names classic shadows shadow#{thing} and named ones shadow#{thing}#{name}, versioned without incarnation", () => {
    const classic = shadowRecord(1);
    expect([classic.entityType, classic.entityName]).toEqual(["shadow", "MyLightBulb5"]);
    expect(classic.fields).toEqual({
      ShadowThingName: "MyLightBulb5",
      Desired: { color: "red" },
      Reported: { color: "red", wattage: 60 },
      ShadowVersion: 2,
    });
    expect(classic.stamp.sequence).toEqual({ version: 2 });
    const named = shadowRecord(2);
    expect(named.entityName).toBe("MyLightBulb5#config");
    expect(named.fields).toMatchObject({ ShadowThingName: "MyLightBulb5", ShadowName: "config", ShadowVersion: 7 });
  });

  it("turns a shadow's delete into a tombstone carrying the deleted document's version in its stamp", () => {
    const tombstone = shadowRecord(3);
    expect(tombstone).toMatchObject({ status: "DELETED", fields: {}, stamp: { sequence: { version: 7 }, rank: Rank.Delete } });
    expect(tombstone.expiresAt).toBeDefined();
  });
});

describe("snapshotToRecord", () => {
  it("maps a listed thing to a snapshot record that orders below every live event", () => {
    const record = snapshotToRecord(
      { entityType: "thing", state: { thingName: "MyLightBulb6", thingId: null, thingTypeName: "LightBulb", attributes: {}, version: 4 } },
      1_000,
      context,
    )._unsafeUnwrap();
    expect(record).toMatchObject({
      entityType: "thing",
      entityName: "MyLightBulb6",
      status: "ACTIVE",
      fields: { ThingName: "MyLightBulb6", Version: 4 },
    });
    expect(record.stamp).toEqual({ origin: Origin.Snapshot, rank: Rank.Change, timestamp: 1_000, eventId: "snapshot-1000" });
  });
});

describe("one description per entity kind", () => {
  it("gives a live event and a snapshot of the same entity the same record name and fields", () => {
    for (const payload of payloads) {
      const event = parseRegistryEvent(payload)._unsafeUnwrap();
      const live = toReplicaRecord(event, context)._unsafeUnwrap();
      const entity = { entityType: event.entityType, state: event.state } as SnapshotItem;
      const listed = snapshotToRecord(entity, 1_000, context)._unsafeUnwrap();
      expect([listed.entityType, listed.entityName, listed.fields]).toEqual([live.entityType, live.entityName, live.fields]);
      expect(listed.stamp.origin).toBe(Origin.Snapshot);
      expect(listed.stamp.sequence).toBeUndefined();
    }
  });

  it("ends entities with DELETED and relations with REMOVED, and nothing else", () => {
    const ended = payloads.map((payload) => {
      const event = parseRegistryEvent(payload)._unsafeUnwrap();
      return [event.entityType, ENTITY_KINDS[event.entityType].endedBy];
    });
    expect(Object.fromEntries(ended)).toEqual({
      thing: "DELETED",
      thingType: "DELETED",
      thingGroup: "DELETED",
      thingGroupMembership: "REMOVED",
      thingGroupHierarchy: "REMOVED",
      thingTypeAssociation: "REMOVED",
    });
    const updated = recordOf({ ...payloads[4], operation: "ADDED" });
    expect(updated.status).toBe("ACTIVE");
  });
});
