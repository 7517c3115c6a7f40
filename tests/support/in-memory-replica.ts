import { isNewerThan } from "../../src/domain/registry/ordering";
import { entityKey, type ReplicaRecord } from "../../src/domain/registry/replica-record";

/** The reference model of the replica table: keep a record only if it is newer, as the conditional write does. */
export class InMemoryReplica {
  readonly records = new Map<string, ReplicaRecord>();

  apply(record: ReplicaRecord): "applied" | "stale" {
    const key = `${entityKey(record.entityType, record.entityName)}|${record.sourceRegion}`;
    const current = this.records.get(key);
    if (current && !isNewerThan(record.stamp, current.stamp)) return "stale";
    this.records.set(key, record);
    return "applied";
  }

  /** entityType#name -> record, for one source region. */
  byEntity(region: string): Map<string, ReplicaRecord> {
    const result = new Map<string, ReplicaRecord>();
    for (const record of this.records.values()) {
      if (record.sourceRegion === region) result.set(entityKey(record.entityType, record.entityName), record);
    }
    return result;
  }
}
