import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "./errors";
import { Origin, Rank, type OrderingStamp } from "./ordering";
import { relationName, type EntityType, type ReplicaRecord } from "./replica-record";
import type { RegistryEvent } from "./registry-events";
import {
  hierarchyFields,
  membershipFields,
  thingFields,
  thingGroupFields,
  thingTypeFields,
  typeAssociationFields,
} from "./entity-fields";

export interface CaptureContext {
  /** The region whose registry published the event (the capturing function's own region). */
  readonly sourceRegion: string;
  /** Epoch milliseconds, from the caller's clock. */
  readonly now: number;
  /** How long tombstones are kept before DynamoDB TTL may remove them. */
  readonly tombstoneTtlSeconds: number;
}

/** DynamoDB items are limited to 400 KB; leave room for keys and bookkeeping attributes. */
export const MAX_RECORD_FIELDS_BYTES = 350 * 1024;

export interface EntityView {
  readonly entityType: EntityType;
  readonly entityName: string;
  readonly deleted: boolean;
  readonly sequence?: { readonly incarnation: string; readonly version: number };
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What each event kind says about its entity: which record, whether it is gone, and its fields. */
const viewOf = (event: RegistryEvent): EntityView => {
  switch (event.type) {
    case "THING":
      return {
        entityType: "thing",
        entityName: event.thingName,
        deleted: event.operation === "DELETED",
        sequence: { incarnation: event.thingId, version: event.versionNumber },
        fields: thingFields({ ...event, version: event.versionNumber }),
      };
    case "THING_TYPE":
      return {
        entityType: "thingType",
        entityName: event.thingTypeName,
        deleted: event.operation === "DELETED",
        fields: thingTypeFields(event),
      };
    case "THING_TYPE_ASSOCIATION":
      return {
        entityType: "thingTypeAssociation",
        entityName: relationName(event.thingName, event.thingTypeName),
        deleted: event.operation === "REMOVED",
        fields: typeAssociationFields(event),
      };
    case "THING_GROUP":
      return {
        entityType: "thingGroup",
        entityName: event.thingGroupName,
        deleted: event.operation === "DELETED",
        sequence: { incarnation: event.thingGroupId, version: event.versionNumber },
        fields: thingGroupFields({ ...event, version: event.versionNumber }),
      };
    case "THING_GROUP_MEMBERSHIP":
      return {
        entityType: "thingGroupMembership",
        entityName: relationName(event.thingGroupName, event.thingName),
        deleted: event.operation === "REMOVED",
        fields: membershipFields(event),
      };
    case "THING_GROUP_HIERARCHY":
      return {
        entityType: "thingGroupHierarchy",
        entityName: relationName(event.parentGroupName, event.childGroupName),
        deleted: event.operation === "REMOVED",
        fields: hierarchyFields(event),
      };
  }
};

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/**
 * Turns what a source says about an entity into its replica record: a live record with the entity's
 * fields, or, for a delete or removal, a tombstone with a TTL and no fields (a deleted thing must not
 * show up in scans for things), so that a late update cannot bring it back while the tombstone lives.
 * Shared by live events and backfill snapshots.
 */
export const recordFromView = (
  view: EntityView,
  source: { readonly origin: Origin; readonly timestamp: number; readonly eventId: string },
  context: CaptureContext,
): Result<ReplicaRecord, InvalidEvent> => {
  const size = utf8Length(JSON.stringify(view.fields));
  if (size > MAX_RECORD_FIELDS_BYTES) {
    return err(new InvalidEvent(`record would be ${size} bytes, over the ${MAX_RECORD_FIELDS_BYTES}-byte limit`, "attributes"));
  }
  const stamp: OrderingStamp = {
    origin: source.origin,
    ...(view.sequence ? { sequence: view.sequence } : {}),
    rank: view.deleted ? Rank.Delete : Rank.Change,
    timestamp: source.timestamp,
    eventId: source.eventId,
  };
  return ok({
    entityType: view.entityType,
    entityName: view.entityName,
    sourceRegion: context.sourceRegion,
    status: view.deleted ? "DELETED" : "ACTIVE",
    stamp,
    capturedAt: context.now,
    ...(view.deleted ? { expiresAt: Math.floor(context.now / 1000) + context.tombstoneTtlSeconds } : {}),
    fields: view.deleted ? {} : view.fields,
  });
};

/** The replica record for one live registry event. */
export const toReplicaRecord = (event: RegistryEvent, context: CaptureContext): Result<ReplicaRecord, InvalidEvent> =>
  recordFromView(viewOf(event), { origin: Origin.Event, timestamp: event.timestamp, eventId: event.eventId }, context);
