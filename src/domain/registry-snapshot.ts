import type { Result } from "neverthrow";
import type { InvalidEvent } from "./errors";
import { hierarchyFields, membershipFields, thingFields, thingGroupFields, thingTypeFields, typeAssociationFields, type ThingGroupState, type ThingState, type ThingTypeState } from "./entity-fields";
import { recordFromView, type CaptureContext, type EntityView } from "./map-registry-event";
import { Origin } from "./ordering";
import { relationName, type ReplicaRecord } from "./replica-record";

/**
 * What a backfill reads from a region's registry (list APIs, not events). Snapshot records order
 * below every live event, so a snapshot only fills in entities no event has described yet and never
 * overwrites what capture already recorded, however late the listing lands.
 */
export type SnapshotItem =
  | ({ readonly kind: "thing" } & ThingState)
  | ({ readonly kind: "thingType" } & ThingTypeState)
  | ({ readonly kind: "thingGroup" } & ThingGroupState)
  | { readonly kind: "thingGroupMembership"; readonly thingGroupName: string; readonly thingName: string }
  | { readonly kind: "thingGroupHierarchy"; readonly parentGroupName: string; readonly childGroupName: string }
  | { readonly kind: "thingTypeAssociation"; readonly thingName: string; readonly thingTypeName: string };

const viewOfSnapshot = (item: SnapshotItem): EntityView => {
  switch (item.kind) {
    case "thing":
      return { entityType: "thing", entityName: item.thingName, deleted: false, fields: thingFields(item) };
    case "thingType":
      return { entityType: "thingType", entityName: item.thingTypeName, deleted: false, fields: thingTypeFields(item) };
    case "thingGroup":
      return { entityType: "thingGroup", entityName: item.thingGroupName, deleted: false, fields: thingGroupFields(item) };
    case "thingGroupMembership":
      return {
        entityType: "thingGroupMembership",
        entityName: relationName(item.thingGroupName, item.thingName),
        deleted: false,
        fields: membershipFields({ ...item, groupId: null, thingId: null, membershipId: null }),
      };
    case "thingGroupHierarchy":
      return {
        entityType: "thingGroupHierarchy",
        entityName: relationName(item.parentGroupName, item.childGroupName),
        deleted: false,
        fields: hierarchyFields({ ...item, parentGroupId: null, childGroupId: null }),
      };
    case "thingTypeAssociation":
      return {
        entityType: "thingTypeAssociation",
        entityName: relationName(item.thingName, item.thingTypeName),
        deleted: false,
        fields: typeAssociationFields({ ...item, thingId: null }),
      };
  }
};

/**
 * The replica record for one listed registry entity. `snapshotStartedAt` must be read before the
 * listing began, so that among snapshots a later backfill run always wins over an earlier one.
 */
export const snapshotToRecord = (item: SnapshotItem, snapshotStartedAt: number, context: CaptureContext): Result<ReplicaRecord, InvalidEvent> =>
  recordFromView(viewOfSnapshot(item), { origin: Origin.Snapshot, timestamp: snapshotStartedAt, eventId: `snapshot-${snapshotStartedAt}` }, context);
