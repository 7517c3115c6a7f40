import { iotArn, parseIotArn } from "./iot-arns";
import {
  type IotCall,
  type IotContext,
  type IotRoute,
  invalidRequest,
  notFound,
  optionalString,
  queryBoolean,
  queryInteger,
} from "./iot-call";
import type { ThingGroupRecord, ThingRecord } from "./iot-records";
import { pageByKey, REGISTRY_PAGE } from "./paging";
import { thingGroupMembershipEvent } from "./registry-event-payloads";
import { descendantsOf, requireThingGroup } from "./thing-group-hierarchy";

/** The group names a thing belongs to (empty when none). */
export const groupNamesOfThing = (ctx: IotContext, thingName: string): string[] => [
  ...(ctx.state.memberships.get(thingName)?.keys() ?? []),
];

/** The thing names in one group (direct members only). */
export const thingNamesInGroup = (ctx: IotContext, thingGroupName: string): string[] =>
  [...ctx.state.memberships.entries()].filter(([, groups]) => groups.has(thingGroupName)).map(([thingName]) => thingName);

/**
 * Ends one membership and publishes its REMOVED event. Used by RemoveThingFromThingGroup and when a
 * thing or a group is deleted, since AWS reports each membership that ends either way.
 */
export const endMembership = async (ctx: IotContext, thing: ThingRecord, group: ThingGroupRecord): Promise<void> => {
  const groups = ctx.state.memberships.get(thing.thingName);
  const membershipId = groups?.get(group.thingGroupName);
  if (!groups || membershipId === undefined) return;
  groups.delete(group.thingGroupName);
  if (groups.size === 0) ctx.state.memberships.delete(thing.thingName);
  await ctx.events.emit("THING_GROUP_MEMBERSHIP", (stamp) => thingGroupMembershipEvent(stamp, "REMOVED", group, thing, membershipId));
};

const nameFrom = (name: unknown, arn: unknown, kind: string, field: string): string => {
  const given = optionalString(name, `${field}Name`);
  if (given) return given;
  const arnText = optionalString(arn, `${field}Arn`);
  const parsed = arnText ? parseIotArn(arnText) : undefined;
  if (arnText && (!parsed || parsed.kind !== kind)) throw invalidRequest(`${field}Arn ${arnText} is not a ${kind} ARN`);
  if (!parsed) throw invalidRequest(`${field}Name or ${field}Arn is required`);
  return parsed.name;
};

const resolveMembership = (call: IotCall): { thing: ThingRecord; group: ThingGroupRecord } => {
  const thingName = nameFrom(call.body.thingName, call.body.thingArn, "thing", "thing");
  const groupName = nameFrom(call.body.thingGroupName, call.body.thingGroupArn, "thinggroup", "thingGroup");
  const group = requireThingGroup(call.ctx, groupName);
  const thing = call.ctx.state.things.get(thingName);
  if (!thing) throw notFound(`Thing ${thingName} does not exist`);
  return { thing, group };
};

const addThingToThingGroup = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { ctx } = call;
  const { thing, group } = resolveMembership(call);
  const groups = ctx.state.memberships.get(thing.thingName) ?? new Map<string, string>();
  if (groups.has(group.thingGroupName)) return {};
  const membershipId = ctx.newId();
  groups.set(group.thingGroupName, membershipId);
  ctx.state.memberships.set(thing.thingName, groups);
  await ctx.events.emit("THING_GROUP_MEMBERSHIP", (stamp) => thingGroupMembershipEvent(stamp, "ADDED", group, thing, membershipId));
  return {};
};

const removeThingFromThingGroup = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { thing, group } = resolveMembership(call);
  await endMembership(call.ctx, thing, group);
  return {};
};

const groupNameAndArn = (ctx: IotContext, groupName: string): Record<string, string> => ({
  groupName,
  groupArn: iotArn(ctx.region, "thinggroup", groupName),
});

const listThingGroupsForThing = (call: IotCall): Record<string, unknown> => {
  const thingName = call.labels.thingName ?? "";
  if (!call.ctx.state.things.has(thingName)) throw notFound(`Thing ${thingName} does not exist`);
  const page = pageByKey(groupNamesOfThing(call.ctx, thingName), (name) => name, {
    maxResults: queryInteger(call.query, "maxResults"),
    nextToken: call.query.get("nextToken"),
    ...REGISTRY_PAGE,
  });
  return {
    thingGroups: page.items.map((name) => groupNameAndArn(call.ctx, name)),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
};

const listThingsInThingGroup = (call: IotCall): Record<string, unknown> => {
  const group = requireThingGroup(call.ctx, call.labels.thingGroupName ?? "");
  const groupNames = [group.thingGroupName];
  if (queryBoolean(call.query, "recursive") === true)
    groupNames.push(...descendantsOf(call.ctx, group.thingGroupName).map((g) => g.thingGroupName));
  const thingNames = new Set(groupNames.flatMap((name) => thingNamesInGroup(call.ctx, name)));
  const page = pageByKey([...thingNames], (name) => name, {
    maxResults: queryInteger(call.query, "maxResults"),
    nextToken: call.query.get("nextToken"),
    ...REGISTRY_PAGE,
  });
  return { things: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
};

/** Static thing group membership: which things are in which groups. */
export const thingGroupMembershipRoutes: readonly IotRoute[] = [
  { method: "PUT", path: "/thing-groups/addThingToThingGroup", operation: "AddThingToThingGroup", handler: addThingToThingGroup },
  {
    method: "PUT",
    path: "/thing-groups/removeThingFromThingGroup",
    operation: "RemoveThingFromThingGroup",
    handler: removeThingFromThingGroup,
  },
  { method: "GET", path: "/things/{thingName}/thing-groups", operation: "ListThingGroupsForThing", handler: listThingGroupsForThing },
  { method: "GET", path: "/thing-groups/{thingGroupName}/things", operation: "ListThingsInThingGroup", handler: listThingsInThingGroup },
];
