/**
 * Typed AWS IoT registry events, as published on `$aws/events/...` and validated by
 * `parseRegistryEvent`. Only THING and THING_GROUP events carry a `versionNumber`; the id of a thing
 * or group changes when it is deleted and re-created under the same name (a new incarnation).
 */

interface EventEnvelope {
  readonly eventId: string;
  /** Epoch milliseconds, as AWS IoT stamps it. */
  readonly timestamp: number;
  readonly accountId?: string;
}

export type CrudOperation = "CREATED" | "UPDATED" | "DELETED";
export type RelationOperation = "ADDED" | "REMOVED";

export type Attributes = Readonly<Record<string, string>>;

export interface ThingEvent extends EventEnvelope {
  readonly type: "THING";
  readonly operation: CrudOperation;
  readonly thingId: string;
  readonly thingName: string;
  readonly versionNumber: number;
  readonly thingTypeName: string | null;
  readonly attributes: Attributes;
}

export interface ThingTypeEvent extends EventEnvelope {
  readonly type: "THING_TYPE";
  readonly operation: CrudOperation;
  readonly thingTypeId: string;
  readonly thingTypeName: string;
  readonly isDeprecated: boolean;
  readonly deprecationDate: number | null;
  readonly searchableAttributes: readonly string[];
  readonly description: string | null;
}

export interface ThingTypeAssociationEvent extends EventEnvelope {
  readonly type: "THING_TYPE_ASSOCIATION";
  /** AWS documents both CREATED/DELETED and ADDED/REMOVED; both normalise to ADDED/REMOVED. */
  readonly operation: RelationOperation;
  readonly thingId: string;
  readonly thingName: string;
  readonly thingTypeName: string;
}

export interface ThingGroupEvent extends EventEnvelope {
  readonly type: "THING_GROUP";
  readonly operation: CrudOperation;
  readonly thingGroupId: string;
  readonly thingGroupName: string;
  readonly versionNumber: number;
  readonly parentGroupName: string | null;
  readonly parentGroupId: string | null;
  readonly description: string | null;
  /** Names of the ancestors, root first, taken from the ARNs AWS sends. */
  readonly rootToParentGroupNames: readonly string[];
  readonly attributes: Attributes;
}

export interface ThingGroupMembershipEvent extends EventEnvelope {
  readonly type: "THING_GROUP_MEMBERSHIP";
  readonly operation: RelationOperation;
  /** AWS sends the names only inside the ARNs; they are taken from there. */
  readonly thingGroupName: string;
  readonly thingName: string;
  readonly groupId: string | null;
  readonly thingId: string | null;
  readonly membershipId: string | null;
}

export interface ThingGroupHierarchyEvent extends EventEnvelope {
  readonly type: "THING_GROUP_HIERARCHY";
  readonly operation: RelationOperation;
  readonly parentGroupName: string;
  readonly parentGroupId: string | null;
  readonly childGroupName: string;
  readonly childGroupId: string | null;
}

export type RegistryEvent =
  | ThingEvent
  | ThingTypeEvent
  | ThingTypeAssociationEvent
  | ThingGroupEvent
  | ThingGroupMembershipEvent
  | ThingGroupHierarchyEvent;

export type RegistryEventType = RegistryEvent["type"];
