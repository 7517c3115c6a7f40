import { applyAttributePayload, sameAttributes } from "./attribute-payload";
import { iotArn } from "./iot-arns";
import {
  alreadyExists,
  type IotCall,
  type IotContext,
  type IotRoute,
  invalidRequest,
  label,
  notFound,
  optionalBoolean,
  optionalNumber,
  optionalString,
  queryBoolean,
  queryInteger,
  versionConflict,
} from "./iot-call";
import type { ThingRecord } from "./iot-records";
import { pageByKey, REGISTRY_PAGE } from "./paging";
import { thingEvent, thingTypeAssociationEvent } from "./registry-event-payloads";
import { endMembership, groupNamesOfThing } from "./thing-group-membership";
import { requireThingType } from "./thing-types";

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

/** Looks a thing up or answers ResourceNotFoundException. */
export const requireThing = (ctx: IotContext, thingName: string): ThingRecord => {
  const thing = ctx.state.things.get(thingName);
  if (!thing) throw notFound(`Thing ${thingName} does not exist`);
  return thing;
};

/** A thing can only take a type that exists and is not deprecated. */
const assignableThingType = (ctx: IotContext, thingTypeName: string): string => {
  const type = requireThingType(ctx, thingTypeName);
  if (type.deprecated) throw invalidRequest(`Thing type ${thingTypeName} is deprecated; things cannot be given it`);
  return type.thingTypeName;
};

const associationEvent = (ctx: IotContext, operation: "CREATED" | "DELETED", thing: ThingRecord, thingTypeName: string): Promise<void> =>
  ctx.events.emit("THING_TYPE_ASSOCIATION", (stamp) => thingTypeAssociationEvent(stamp, operation, thing, thingTypeName));

const createThing = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { ctx } = call;
  const thingName = label(call, "thingName");
  if (!THING_NAME.test(thingName)) throw invalidRequest(`thingName ${thingName} must match [a-zA-Z0-9:_-]{1,128}`);
  const thingTypeName = optionalString(call.body.thingTypeName, "thingTypeName");
  const attributes = applyAttributePayload({}, call.body.attributePayload);
  const billingGroupName = optionalString(call.body.billingGroupName, "billingGroupName");
  const thingArn = iotArn(ctx.region, "thing", thingName);
  const existing = ctx.state.things.get(thingName);
  if (existing) {
    const identical =
      existing.thingTypeName === thingTypeName &&
      sameAttributes(existing.attributes, attributes) &&
      existing.billingGroupName === billingGroupName;
    if (!identical) throw alreadyExists(`Thing ${thingName} already exists with different attributes or thing type`);
    return { thingName, thingArn, thingId: existing.thingId };
  }
  const thing: ThingRecord = {
    thingName,
    thingId: ctx.newId(),
    thingTypeName: thingTypeName === undefined ? undefined : assignableThingType(ctx, thingTypeName),
    attributes,
    version: 1,
    billingGroupName,
  };
  ctx.state.things.set(thingName, thing);
  await ctx.events.emit("THING", (stamp) => thingEvent(stamp, "CREATED", thing));
  if (thing.thingTypeName !== undefined) await associationEvent(ctx, "CREATED", thing, thing.thingTypeName);
  return { thingName, thingArn, thingId: thing.thingId };
};

const describeThing = (call: IotCall): Record<string, unknown> => {
  const thing = requireThing(call.ctx, label(call, "thingName"));
  return {
    defaultClientId: thing.thingName,
    thingName: thing.thingName,
    thingId: thing.thingId,
    thingArn: iotArn(call.ctx.region, "thing", thing.thingName),
    ...(thing.thingTypeName !== undefined ? { thingTypeName: thing.thingTypeName } : {}),
    attributes: { ...thing.attributes },
    version: thing.version,
    ...(thing.billingGroupName !== undefined ? { billingGroupName: thing.billingGroupName } : {}),
  };
};

const checkExpectedVersion = (thing: ThingRecord, expected: number | undefined): void => {
  if (expected !== undefined && expected !== thing.version) {
    throw versionConflict(`Thing ${thing.thingName} is at version ${thing.version}, not ${expected}`);
  }
};

const updateThing = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { ctx } = call;
  const thing = requireThing(ctx, label(call, "thingName"));
  checkExpectedVersion(thing, optionalNumber(call.body.expectedVersion, "expectedVersion"));
  const newTypeName = optionalString(call.body.thingTypeName, "thingTypeName");
  const removeThingType = optionalBoolean(call.body.removeThingType, "removeThingType") === true;
  if (removeThingType && newTypeName !== undefined) throw invalidRequest("thingTypeName and removeThingType cannot be used together");
  const previousTypeName = thing.thingTypeName;
  const nextTypeName = removeThingType ? undefined : newTypeName === undefined ? previousTypeName : assignableThingType(ctx, newTypeName);
  thing.attributes = applyAttributePayload(thing.attributes, call.body.attributePayload);
  thing.thingTypeName = nextTypeName;
  thing.version += 1;
  await ctx.events.emit("THING", (stamp) => thingEvent(stamp, "UPDATED", thing));
  if (previousTypeName !== nextTypeName) {
    if (previousTypeName !== undefined) await associationEvent(ctx, "DELETED", thing, previousTypeName);
    if (nextTypeName !== undefined) await associationEvent(ctx, "CREATED", thing, nextTypeName);
  }
  return {};
};

const deleteThing = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { ctx } = call;
  const thing = ctx.state.things.get(label(call, "thingName"));
  if (!thing) return {};
  checkExpectedVersion(thing, queryInteger(call.query, "expectedVersion"));
  if ((ctx.state.thingPrincipals.get(thing.thingName)?.size ?? 0) > 0) {
    throw invalidRequest(`Cannot delete thing ${thing.thingName}: it has attached principals; detach them first`);
  }
  for (const groupName of groupNamesOfThing(ctx, thing.thingName)) {
    const group = ctx.state.thingGroups.get(groupName);
    if (group) await endMembership(ctx, thing, group);
  }
  ctx.state.memberships.delete(thing.thingName);
  ctx.state.thingPrincipals.delete(thing.thingName);
  ctx.state.things.delete(thing.thingName);
  if (thing.thingTypeName !== undefined) await associationEvent(ctx, "DELETED", thing, thing.thingTypeName);
  await ctx.events.emit("THING", (stamp) => thingEvent(stamp, "DELETED", thing));
  return {};
};

const matchesFilters = (thing: ThingRecord, query: URLSearchParams): boolean => {
  const attributeName = query.get("attributeName");
  const attributeValue = query.get("attributeValue");
  const thingTypeName = query.get("thingTypeName");
  const usePrefix = queryBoolean(query, "usePrefixAttributeValue") === true;
  if (thingTypeName && thing.thingTypeName !== thingTypeName) return false;
  if (attributeName) {
    const value = thing.attributes[attributeName];
    if (value === undefined) return false;
    if (attributeValue !== null && !(usePrefix ? value.startsWith(attributeValue) : value === attributeValue)) return false;
  }
  return true;
};

const listThings = ({ ctx, query }: IotCall): Record<string, unknown> => {
  if (queryBoolean(query, "usePrefixAttributeValue") === true && !query.get("attributeName")) {
    throw invalidRequest("usePrefixAttributeValue requires attributeName and attributeValue");
  }
  const page = pageByKey(
    [...ctx.state.things.values()].filter((thing) => matchesFilters(thing, query)),
    (thing) => thing.thingName,
    { maxResults: queryInteger(query, "maxResults"), nextToken: query.get("nextToken"), ...REGISTRY_PAGE },
  );
  return {
    things: page.items.map((thing) => ({
      thingName: thing.thingName,
      ...(thing.thingTypeName !== undefined ? { thingTypeName: thing.thingTypeName } : {}),
      thingArn: iotArn(ctx.region, "thing", thing.thingName),
      attributes: { ...thing.attributes },
      version: thing.version,
    })),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
};

/** Things: the registry's devices, versioned, optionally typed, with attributes. */
export const thingRoutes: readonly IotRoute[] = [
  { method: "POST", path: "/things/{thingName}", operation: "CreateThing", handler: createThing },
  { method: "GET", path: "/things/{thingName}", operation: "DescribeThing", handler: describeThing },
  { method: "PATCH", path: "/things/{thingName}", operation: "UpdateThing", handler: updateThing },
  { method: "DELETE", path: "/things/{thingName}", operation: "DeleteThing", handler: deleteThing },
  { method: "GET", path: "/things", operation: "ListThings", handler: listThings },
];
