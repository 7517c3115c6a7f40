import { recordToItem, sameEntityState } from "../../../src/adapters/dynamodb-replica-items";
import { Origin, Rank } from "../../../src/domain/registry/ordering";
import type { ReplicaRecord } from "../../../src/domain/registry/replica-record";

const record = (timestamp: number, fields: Record<string, unknown>, status: "ACTIVE" | "DELETED" = "ACTIVE"): ReplicaRecord => ({
  entityType: "certificate",
  entityName: "abc",
  sourceRegion: "us-east-1",
  status,
  stamp: { origin: Origin.Snapshot, rank: Rank.Change, timestamp, eventId: `sweep-${timestamp}` },
  capturedAt: timestamp,
  fields,
});

describe("sameEntityState (what a secondary has to apply for a stream record)", () => {
  const fields = { CertificateId: "abc", CertificateStatus: "ACTIVE", CertificatePem: "pem" };

  it("is true for a sweep's rewrite that changed only the stamp", () => {
    expect(sameEntityState(recordToItem(record(1, fields)), recordToItem(record(2, fields)))).toBe(true);
  });

  it("is false when a field, the status or the presence of an old image differs", () => {
    expect(sameEntityState(recordToItem(record(1, fields)), recordToItem(record(2, { ...fields, CertificateStatus: "INACTIVE" })))).toBe(
      false,
    );
    expect(sameEntityState(recordToItem(record(1, fields)), recordToItem(record(2, {}, "DELETED")))).toBe(false);
    expect(sameEntityState(undefined, recordToItem(record(2, fields)))).toBe(false);
  });
});
