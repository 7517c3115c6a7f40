import { iotArn } from "./iot-arns";
import type { ThingGroupRecord, ThingRecord, ThingTypeRecord } from "./iot-records";

/** The fields every registry event stamps: a fresh id, the publish time in ms and the account. */
export interface EventStamp {
  readonly eventId: string;
  readonly timestamp: number;
  readonly accountId: string;
  readonly region: string;
}

/** One MQTT message AWS IoT publishes for a registry change. */
export interface RegistryEvent {
  readonly topic: string;
  readonly payload: Record<string, unknown>;
}

type Lifecycle = "CREATED" | "UPDATED" | "DELETED";
type Membership = "ADDED" | "REMOVED";

const topicSuffix = (operation: string): string => operation.toLowerCase();

/** `$aws/events/thing/{thingName}/created|updated|deleted` with the thing as it is (or was, when deleted). */
export const thingEvent = (stamp: EventStamp, operation: Lifecycle, thing: ThingRecord): RegistryEvent => ({
  topic: `$aws/events/thing/${thing.thingName}/${topicSuffix(operation)}`,
  payload: {
    eventType: "THING_EVENT",
    eventId: stamp.eventId,
    timestamp: stamp.timestamp,
    operation,
    accountId: stamp.accountId,
    thingId: thing.thingId,
    thingName: thing.thingName,
    versionNumber: thing.version,
    thingTypeName: thing.thingTypeName ?? null,
    attributes: { ...thing.attributes },
  },
});

/** `$aws/events/thingType/{thingTypeName}/...`; deprecating and undeprecating are UPDATED. */
export const thingTypeEvent = (stamp: EventStamp, operation: Lifecycle, type: ThingTypeRecord): RegistryEvent => ({
  topic: `$aws/events/thingType/${type.thingTypeName}/${topicSuffix(operation)}`,
  payload: {
    eventType: "THING_TYPE_EVENT",
    eventId: stamp.eventId,
    timestamp: stamp.timestamp,
    operation,
    accountId: stamp.accountId,
    thingTypeId: type.thingTypeId,
    thingTypeName: type.thingTypeName,
    isDeprecated: type.deprecated,
    deprecationDate: type.deprecationDate ?? null,
    searchableAttributes: [...type.searchableAttributes],
    propagatingAttributes: [...type.propagatingAttributes],
    description: type.description ?? null,
  },
});

/** `$aws/events/thingTypeAssociation/thing/{thingName}/{thingTypeName}`: a thing gained or lost a type. */
export const thingTypeAssociationEvent = (
  stamp: EventStamp,
  operation: "CREATED" | "DELETED",
  thing: ThingRecord,
  thingTypeName: string,
): RegistryEvent => ({
  topic: `$aws/events/thingTypeAssociation/thing/${thing.thingName}/${thingTypeName}`,
  payload: {
    eventId: stamp.eventId,
    eventType: "THING_TYPE_ASSOCIATION_EVENT",
    operation,
    thingId: thing.thingId,
    thingName: thing.thingName,
    thingTypeName,
    timestamp: stamp.timestamp,
  },
});

/**
 * `$aws/events/thingGroup/{groupName}/...`. `ancestors` runs from the root down to the parent, the
 * order AWS lists `rootToParentThingGroups` in.
 */
export const thingGroupEvent = (
  stamp: EventStamp,
  operation: Lifecycle,
  group: ThingGroupRecord,
  ancestors: readonly ThingGroupRecord[],
): RegistryEvent => {
  const parent = ancestors[ancestors.length - 1];
  return {
    topic: `$aws/events/thingGroup/${group.thingGroupName}/${topicSuffix(operation)}`,
    payload: {
      eventType: "THING_GROUP_EVENT",
      eventId: stamp.eventId,
      timestamp: stamp.timestamp,
      operation,
      accountId: stamp.accountId,
      thingGroupId: group.thingGroupId,
      thingGroupName: group.thingGroupName,
      versionNumber: group.version,
      parentGroupName: parent?.thingGroupName ?? null,
      parentGroupId: parent?.thingGroupId ?? null,
      description: group.description ?? null,
      rootToParentThingGroups: ancestors.map((ancestor) => ({
        groupArn: iotArn(stamp.region, "thinggroup", ancestor.thingGroupName),
        groupId: ancestor.thingGroupId,
      })),
      attributes: { ...group.attributes },
      dynamicGroupMappingId: null,
    },
  };
};

/** `$aws/events/thingGroupMembership/thingGroup/{group}/thing/{thing}/added|removed`. */
export const thingGroupMembershipEvent = (
  stamp: EventStamp,
  operation: Membership,
  group: ThingGroupRecord,
  thing: ThingRecord,
  membershipId: string,
): RegistryEvent => ({
  topic: `$aws/events/thingGroupMembership/thingGroup/${group.thingGroupName}/thing/${thing.thingName}/${topicSuffix(operation)}`,
  payload: {
    eventType: "THING_GROUP_MEMBERSHIP_EVENT",
    eventId: stamp.eventId,
    timestamp: stamp.timestamp,
    operation,
    accountId: stamp.accountId,
    groupArn: iotArn(stamp.region, "thinggroup", group.thingGroupName),
    groupId: group.thingGroupId,
    thingArn: iotArn(stamp.region, "thing", thing.thingName),
    thingId: thing.thingId,
    membershipId,
  },
});

/** `$aws/events/thingGroupHierarchy/thingGroup/{parent}/childThingGroup/{child}/added|removed`. */
export const thingGroupHierarchyEvent = (
  stamp: EventStamp,
  operation: Membership,
  parent: ThingGroupRecord,
  child: ThingGroupRecord,
): RegistryEvent => ({
  topic: `$aws/events/thingGroupHierarchy/thingGroup/${parent.thingGroupName}/childThingGroup/${child.thingGroupName}/${topicSuffix(operation)}`,
  payload: {
    eventType: "THING_GROUP_HIERARCHY_EVENT",
    eventId: stamp.eventId,
    timestamp: stamp.timestamp,
    operation,
    accountId: stamp.accountId,
    thingGroupId: parent.thingGroupId,
    thingGroupName: parent.thingGroupName,
    childGroupId: child.thingGroupId,
    childGroupName: child.thingGroupName,
  },
});
