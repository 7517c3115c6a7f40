/**
 * The stored fields of each entity kind, built in one place for both sources of truth: live registry
 * events and backfill snapshots of the registry. PascalCase names keep the public sample's scans
 * (`ThingName`, `AWSRegion`) working; only thing records carry `ThingName`, so that scan finds things
 * and nothing else (relations name their thing `MemberThingName` / `AssociatedThingName`).
 */
export interface ThingState {
  readonly thingName: string;
  readonly thingId: string | null;
  readonly thingTypeName: string | null;
  readonly attributes: Readonly<Record<string, string>>;
  readonly version: number;
}

export interface ThingTypeState {
  readonly thingTypeName: string;
  readonly thingTypeId: string | null;
  readonly isDeprecated: boolean;
  readonly deprecationDate: number | null;
  readonly searchableAttributes: readonly string[];
  readonly description: string | null;
}

export interface ThingGroupState {
  readonly thingGroupName: string;
  readonly thingGroupId: string | null;
  readonly version: number;
  readonly parentGroupName: string | null;
  readonly parentGroupId: string | null;
  readonly description: string | null;
  readonly rootToParentGroupNames: readonly string[];
  readonly attributes: Readonly<Record<string, string>>;
}

export const thingFields = (thing: ThingState) => ({
  ThingName: thing.thingName,
  ThingId: thing.thingId,
  ThingTypeName: thing.thingTypeName,
  Attributes: thing.attributes,
  Version: thing.version,
});

export const thingTypeFields = (type: ThingTypeState) => ({
  ThingTypeName: type.thingTypeName,
  ThingTypeId: type.thingTypeId,
  IsDeprecated: type.isDeprecated,
  DeprecationDate: type.deprecationDate,
  SearchableAttributes: type.searchableAttributes,
  Description: type.description,
});

export const thingGroupFields = (group: ThingGroupState) => ({
  ThingGroupName: group.thingGroupName,
  ThingGroupId: group.thingGroupId,
  Version: group.version,
  ParentGroupName: group.parentGroupName,
  ParentGroupId: group.parentGroupId,
  Description: group.description,
  RootToParentGroupNames: group.rootToParentGroupNames,
  Attributes: group.attributes,
});

export const membershipFields = (m: { thingGroupName: string; thingName: string; groupId: string | null; thingId: string | null; membershipId: string | null }) => ({
  ThingGroupName: m.thingGroupName,
  MemberThingName: m.thingName,
  ThingGroupId: m.groupId,
  MemberThingId: m.thingId,
  MembershipId: m.membershipId,
});

export const hierarchyFields = (h: { parentGroupName: string; parentGroupId: string | null; childGroupName: string; childGroupId: string | null }) => ({
  ParentGroupName: h.parentGroupName,
  ParentGroupId: h.parentGroupId,
  ChildGroupName: h.childGroupName,
  ChildGroupId: h.childGroupId,
});

export const typeAssociationFields = (a: { thingName: string; thingTypeName: string; thingId: string | null }) => ({
  AssociatedThingName: a.thingName,
  ThingTypeName: a.thingTypeName,
  AssociatedThingId: a.thingId,
});
