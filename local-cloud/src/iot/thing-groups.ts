import { applyAttributePayload, sameAttributes } from "./attribute-payload";
import { iotArn } from "./iot-arns";
import {
  alreadyExists,
  epochSeconds,
  type IotCall,
  type IotContext,
  type IotRoute,
  invalidRequest,
  label,
  optionalNumber,
  optionalString,
  queryBoolean,
  queryInteger,
  versionConflict,
} from "./iot-call";
import type { ThingGroupRecord } from "./iot-records";
import { pageByKey, REGISTRY_PAGE } from "./paging";
import { thingGroupEvent, thingGroupHierarchyEvent } from "./registry-event-payloads";
import { ancestorsOf, childrenOf, descendantsOf, requireThingGroup } from "./thing-group-hierarchy";
import { endMembership, thingNamesInGroup } from "./thing-group-membership";

/** AWS allows at most seven levels of thing groups. */
const MAX_DEPTH = 7;

interface GroupProperties {
  readonly description: string | undefined;
  readonly attributePayload: unknown;
}

const readProperties = (value: unknown): GroupProperties => {
  if (value === undefined || value === null) return { description: undefined, attributePayload: undefined };
  if (typeof value !== "object" || Array.isArray(value)) throw invalidRequest("thingGroupProperties must be an object");
  const props = value as Record<string, unknown>;
  return { description: optionalString(props.thingGroupDescription, "thingGroupDescription"), attributePayload: props.attributePayload };
};

const publishGroupEvent = (ctx: IotContext, operation: "CREATED" | "UPDATED" | "DELETED", group: ThingGroupRecord): Promise<void> => {
  const ancestors = ancestorsOf(ctx, group);
  return ctx.events.emit("THING_GROUP", (stamp) => thingGroupEvent(stamp, operation, group, ancestors));
};

const createThingGroup = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { ctx } = call;
  const thingGroupName = label(call, "thingGroupName");
  const parentGroupName = optionalString(call.body.parentGroupName, "parentGroupName");
  const props = readProperties(call.body.thingGroupProperties);
  const attributes = applyAttributePayload({}, props.attributePayload);
  const arn = iotArn(ctx.region, "thinggroup", thingGroupName);
  const existing = ctx.state.thingGroups.get(thingGroupName);
  if (existing) {
    const identical =
      existing.parentGroupName === parentGroupName &&
      existing.description === props.description &&
      sameAttributes(existing.attributes, attributes);
    if (!identical) throw alreadyExists(`Thing group ${thingGroupName} already exists with different properties`);
    return { thingGroupName, thingGroupArn: arn, thingGroupId: existing.thingGroupId };
  }
  const parent = parentGroupName === undefined ? undefined : requireThingGroup(ctx, parentGroupName);
  if (parent && ancestorsOf(ctx, parent).length + 2 > MAX_DEPTH)
    throw invalidRequest(`thing groups can be nested at most ${MAX_DEPTH} levels deep`);
  const group: ThingGroupRecord = {
    thingGroupName,
    thingGroupId: ctx.newId(),
    parentGroupName,
    description: props.description,
    attributes,
    version: 1,
    creationDate: ctx.clock(),
  };
  ctx.state.thingGroups.set(thingGroupName, group);
  await publishGroupEvent(ctx, "CREATED", group);
  if (parent) await ctx.events.emit("THING_GROUP_HIERARCHY", (stamp) => thingGroupHierarchyEvent(stamp, "ADDED", parent, group));
  return { thingGroupName, thingGroupArn: arn, thingGroupId: group.thingGroupId };
};

const describeThingGroup = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const group = requireThingGroup(ctx, label(call, "thingGroupName"));
  return {
    thingGroupName: group.thingGroupName,
    thingGroupId: group.thingGroupId,
    thingGroupArn: iotArn(ctx.region, "thinggroup", group.thingGroupName),
    version: group.version,
    thingGroupProperties: {
      ...(group.description !== undefined ? { thingGroupDescription: group.description } : {}),
      attributePayload: { attributes: { ...group.attributes } },
    },
    thingGroupMetadata: {
      ...(group.parentGroupName !== undefined ? { parentGroupName: group.parentGroupName } : {}),
      rootToParentThingGroups: ancestorsOf(ctx, group).map((ancestor) => ({
        groupName: ancestor.thingGroupName,
        groupArn: iotArn(ctx.region, "thinggroup", ancestor.thingGroupName),
      })),
      creationDate: epochSeconds(group.creationDate),
    },
  };
};

const checkExpectedVersion = (group: ThingGroupRecord, expected: number | undefined): void => {
  if (expected !== undefined && expected !== group.version) {
    throw versionConflict(`Thing group ${group.thingGroupName} is at version ${group.version}, not ${expected}`);
  }
};

const updateThingGroup = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { ctx } = call;
  const group = requireThingGroup(ctx, label(call, "thingGroupName"));
  checkExpectedVersion(group, optionalNumber(call.body.expectedVersion, "expectedVersion"));
  if (call.body.thingGroupProperties === undefined) throw invalidRequest("thingGroupProperties is required");
  const props = readProperties(call.body.thingGroupProperties);
  group.attributes = applyAttributePayload(group.attributes, props.attributePayload);
  if (props.description !== undefined) group.description = props.description;
  group.version += 1;
  await publishGroupEvent(ctx, "UPDATED", group);
  return { version: group.version };
};

const deleteThingGroup = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { ctx } = call;
  const group = ctx.state.thingGroups.get(label(call, "thingGroupName"));
  if (!group) return {};
  checkExpectedVersion(group, queryInteger(call.query, "expectedVersion"));
  if (childrenOf(ctx, group.thingGroupName).length > 0) {
    throw invalidRequest(`Thing group ${group.thingGroupName} has child groups; delete them first`);
  }
  for (const thingName of thingNamesInGroup(ctx, group.thingGroupName)) {
    const thing = ctx.state.things.get(thingName);
    if (thing) await endMembership(ctx, thing, group);
  }
  const groupArn = iotArn(ctx.region, "thinggroup", group.thingGroupName);
  for (const targets of ctx.state.policyTargets.values()) targets.delete(groupArn);
  const ancestors = ancestorsOf(ctx, group);
  const parent = ancestors[ancestors.length - 1];
  ctx.state.thingGroups.delete(group.thingGroupName);
  if (parent) await ctx.events.emit("THING_GROUP_HIERARCHY", (stamp) => thingGroupHierarchyEvent(stamp, "REMOVED", parent, group));
  await ctx.events.emit("THING_GROUP", (stamp) => thingGroupEvent(stamp, "DELETED", group, ancestors));
  return {};
};

const listThingGroups = ({ ctx, query }: IotCall): Record<string, unknown> => {
  const parentGroup = query.get("parentGroup") || undefined;
  const prefix = query.get("namePrefixFilter") ?? "";
  const recursive = queryBoolean(query, "recursive") === true;
  const candidates =
    parentGroup === undefined
      ? [...ctx.state.thingGroups.values()]
      : recursive
        ? descendantsOf(ctx, requireThingGroup(ctx, parentGroup).thingGroupName)
        : childrenOf(ctx, requireThingGroup(ctx, parentGroup).thingGroupName);
  const page = pageByKey(
    candidates.filter((group) => group.thingGroupName.startsWith(prefix)),
    (group) => group.thingGroupName,
    { maxResults: queryInteger(query, "maxResults"), nextToken: query.get("nextToken"), ...REGISTRY_PAGE },
  );
  return {
    thingGroups: page.items.map((group) => ({
      groupName: group.thingGroupName,
      groupArn: iotArn(ctx.region, "thinggroup", group.thingGroupName),
    })),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
};

/** Static thing groups: a hierarchy up to seven levels deep, versioned like things. */
export const thingGroupRoutes: readonly IotRoute[] = [
  { method: "POST", path: "/thing-groups/{thingGroupName}", operation: "CreateThingGroup", handler: createThingGroup },
  { method: "GET", path: "/thing-groups/{thingGroupName}", operation: "DescribeThingGroup", handler: describeThingGroup },
  { method: "PATCH", path: "/thing-groups/{thingGroupName}", operation: "UpdateThingGroup", handler: updateThingGroup },
  { method: "DELETE", path: "/thing-groups/{thingGroupName}", operation: "DeleteThingGroup", handler: deleteThingGroup },
  { method: "GET", path: "/thing-groups", operation: "ListThingGroups", handler: listThingGroups },
];
