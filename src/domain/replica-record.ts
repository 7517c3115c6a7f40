import type { OrderingStamp } from "./ordering";

/**
 * One row of the aggregated replica: the latest known state of one registry entity as seen in one
 * source region. The key is (EntityKey, AWSRegion), so the same thing name in two regions is two
 * records, and a region's applier can tell its own captures from the primary's.
 */
export type EntityType =
  | "thing"
  | "thingType"
  | "thingGroup"
  | "thingGroupMembership"
  | "thingGroupHierarchy"
  | "thingTypeAssociation";

export type EntityStatus = "ACTIVE" | "DELETED";

export interface ReplicaRecord {
  readonly entityType: EntityType;
  /** Name within its type; relations join their two names with `#` (names cannot contain `#`). */
  readonly entityName: string;
  readonly sourceRegion: string;
  readonly status: EntityStatus;
  readonly stamp: OrderingStamp;
  /** Epoch milliseconds at which this region captured the write. */
  readonly capturedAt: number;
  /** Epoch seconds after which DynamoDB TTL may remove a tombstone; absent on live records. */
  readonly expiresAt?: number;
  /** The entity's own fields (ThingName, Attributes, ...), as stored. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export const entityKey = (entityType: EntityType, entityName: string): string => `${entityType}#${entityName}`;

/** Joins the names of a relation's two ends into one entity name. */
export const relationName = (first: string, second: string): string => `${first}#${second}`;
