import { isDeepStrictEqual } from "node:util";
import type { NativeAttributeValue } from "@aws-sdk/util-dynamodb";
import type { EntityType } from "../domain/registry/entity-kinds";
import type { OrderingStamp } from "../domain/registry/ordering";
import { type EntityStatus, entityKey, type ReplicaRecord } from "../domain/registry/replica-record";
import { STAMP_ATTRIBUTES } from "./dynamodb-ordering-condition";

/** Key and bookkeeping attribute names of the replica table (the template declares the same). */
export const REPLICA_TABLE = {
  partitionKey: STAMP_ATTRIBUTES.key,
  sortKey: "AWSRegion",
  byTypeIndex: "ByEntityType",
  byTypeIndexSortKey: "NameRegion",
  ttlAttribute: "ExpiresAt",
  /**
   * Set on records a bootstrap's snapshot wrote (its run id): the secondaries' stream appliers leave
   * them to the bootstrap, which applies them paced behind live changes. Any later write drops it.
   */
  bulkLoadAttribute: "BulkLoadId",
} as const;

const isEmptyMap = (value: unknown): boolean =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

/**
 * The stored item for a record: keys, query attributes, ordering stamp, then the entity's fields.
 * Empty maps (a thing without attributes) are left out: readers treat a missing map as empty, and
 * DynamoDB Local's streams drop the type of an empty map, which would break local replication.
 */
export const recordToItem = (record: ReplicaRecord): Record<string, NativeAttributeValue> => ({
  ...Object.fromEntries(Object.entries(record.fields).filter(([, value]) => !isEmptyMap(value))),
  [REPLICA_TABLE.partitionKey]: entityKey(record.entityType, record.entityName),
  [REPLICA_TABLE.sortKey]: record.sourceRegion,
  EntityType: record.entityType,
  EntityName: record.entityName,
  [REPLICA_TABLE.byTypeIndexSortKey]: `${record.entityName}#${record.sourceRegion}`,
  Status: record.status,
  CapturedAt: record.capturedAt,
  ...(record.expiresAt !== undefined ? { [REPLICA_TABLE.ttlAttribute]: record.expiresAt } : {}),
  [STAMP_ATTRIBUTES.origin]: record.stamp.origin,
  ...(record.stamp.sequence?.incarnation !== undefined ? { [STAMP_ATTRIBUTES.incarnation]: record.stamp.sequence.incarnation } : {}),
  ...(record.stamp.sequence ? { [STAMP_ATTRIBUTES.version]: record.stamp.sequence.version } : {}),
  [STAMP_ATTRIBUTES.rank]: record.stamp.rank,
  [STAMP_ATTRIBUTES.timestamp]: record.stamp.timestamp,
  [STAMP_ATTRIBUTES.eventId]: record.stamp.eventId,
});

const BOOKKEEPING = new Set<string>([
  REPLICA_TABLE.partitionKey,
  REPLICA_TABLE.sortKey,
  "EntityType",
  "EntityName",
  REPLICA_TABLE.byTypeIndexSortKey,
  "Status",
  "CapturedAt",
  REPLICA_TABLE.ttlAttribute,
  REPLICA_TABLE.bulkLoadAttribute,
  ...Object.values(STAMP_ATTRIBUTES),
]);

/** Reads a stored item back into a record: the inverse of `recordToItem`. */
export const itemToRecord = (item: Record<string, NativeAttributeValue>): ReplicaRecord => {
  const incarnation = item[STAMP_ATTRIBUTES.incarnation] as string | undefined;
  const version = item[STAMP_ATTRIBUTES.version] as number | undefined;
  const stamp: OrderingStamp = {
    origin: item[STAMP_ATTRIBUTES.origin],
    ...(version !== undefined ? { sequence: { ...(incarnation !== undefined ? { incarnation } : {}), version } } : {}),
    rank: item[STAMP_ATTRIBUTES.rank],
    timestamp: item[STAMP_ATTRIBUTES.timestamp],
    eventId: item[STAMP_ATTRIBUTES.eventId],
  };
  return {
    entityType: item["EntityType"] as EntityType,
    entityName: item["EntityName"] as string,
    sourceRegion: item[REPLICA_TABLE.sortKey] as string,
    status: item["Status"] as EntityStatus,
    stamp,
    capturedAt: item["CapturedAt"] as number,
    ...(item[REPLICA_TABLE.ttlAttribute] !== undefined ? { expiresAt: item[REPLICA_TABLE.ttlAttribute] as number } : {}),
    fields: Object.fromEntries(Object.entries(item).filter(([name]) => !BOOKKEEPING.has(name))),
  };
};

/**
 * Whether two images of one record describe the same entity state (status and fields), differing at
 * most in bookkeeping: a sweep pass rewrites unchanged certificates and attachments with a newer
 * stamp, and a secondary has nothing to apply for such a rewrite.
 */
export const sameEntityState = (
  oldImage: Record<string, NativeAttributeValue> | undefined,
  newImage: Record<string, NativeAttributeValue> | undefined,
): boolean => {
  if (oldImage === undefined || newImage === undefined) return false;
  const before = itemToRecord(oldImage);
  const after = itemToRecord(newImage);
  return before.status === after.status && isDeepStrictEqual(before.fields, after.fields);
};
