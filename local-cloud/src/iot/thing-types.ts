import { iotArn } from "./iot-arns";
import {
  alreadyExists,
  epochSeconds,
  type IotCall,
  type IotContext,
  type IotRoute,
  invalidRequest,
  label,
  notFound,
  optionalBoolean,
  optionalString,
  queryInteger,
} from "./iot-call";
import type { ThingTypeRecord } from "./iot-records";
import { pageByKey, REGISTRY_PAGE } from "./paging";
import { thingTypeEvent } from "./registry-event-payloads";

/** Looks a thing type up or answers ResourceNotFoundException, as every thing-type API does. */
export const requireThingType = (ctx: IotContext, thingTypeName: string): ThingTypeRecord => {
  const type = ctx.state.thingTypes.get(thingTypeName);
  if (!type) throw notFound(`Thing type ${thingTypeName} does not exist`);
  return type;
};

interface ThingTypeProperties {
  readonly description: string | undefined;
  readonly searchableAttributes: readonly string[];
  readonly propagatingAttributes: readonly unknown[];
}

const readProperties = (value: unknown): ThingTypeProperties => {
  if (value === undefined || value === null) return { description: undefined, searchableAttributes: [], propagatingAttributes: [] };
  if (typeof value !== "object" || Array.isArray(value)) throw invalidRequest("thingTypeProperties must be an object");
  const props = value as Record<string, unknown>;
  const searchable = props.searchableAttributes ?? [];
  if (!Array.isArray(searchable) || searchable.some((name) => typeof name !== "string")) {
    throw invalidRequest("searchableAttributes must be a list of strings");
  }
  if (searchable.length > 3) throw invalidRequest("a thing type can have at most 3 searchable attributes");
  const mqtt5 = props.mqtt5Configuration as { propagatingAttributes?: unknown } | undefined;
  const propagating = mqtt5?.propagatingAttributes ?? [];
  if (!Array.isArray(propagating)) throw invalidRequest("propagatingAttributes must be a list");
  return {
    description: optionalString(props.thingTypeDescription, "thingTypeDescription"),
    searchableAttributes: searchable as string[],
    propagatingAttributes: propagating,
  };
};

const describeProperties = (type: ThingTypeRecord): Record<string, unknown> => ({
  ...(type.description !== undefined ? { thingTypeDescription: type.description } : {}),
  searchableAttributes: [...type.searchableAttributes],
  ...(type.propagatingAttributes.length > 0 ? { mqtt5Configuration: { propagatingAttributes: [...type.propagatingAttributes] } } : {}),
});

const describeMetadata = (type: ThingTypeRecord): Record<string, unknown> => ({
  deprecated: type.deprecated,
  ...(type.deprecationDate !== undefined ? { deprecationDate: epochSeconds(type.deprecationDate) } : {}),
  creationDate: epochSeconds(type.creationDate),
});

const sameProperties = (type: ThingTypeRecord, props: ThingTypeProperties): boolean =>
  type.description === props.description &&
  JSON.stringify(type.searchableAttributes) === JSON.stringify(props.searchableAttributes) &&
  JSON.stringify(type.propagatingAttributes) === JSON.stringify(props.propagatingAttributes);

const createThingType = async (call: IotCall): Promise<Record<string, unknown>> => {
  const { ctx } = call;
  const thingTypeName = label(call, "thingTypeName");
  const props = readProperties(call.body.thingTypeProperties);
  const existing = ctx.state.thingTypes.get(thingTypeName);
  const arn = iotArn(ctx.region, "thingtype", thingTypeName);
  if (existing) {
    if (!sameProperties(existing, props)) throw alreadyExists(`Thing type ${thingTypeName} already exists with different properties`);
    return { thingTypeName, thingTypeArn: arn, thingTypeId: existing.thingTypeId };
  }
  const type: ThingTypeRecord = {
    thingTypeName,
    thingTypeId: ctx.newId(),
    description: props.description,
    searchableAttributes: props.searchableAttributes,
    propagatingAttributes: props.propagatingAttributes,
    deprecated: false,
    deprecationDate: undefined,
    creationDate: ctx.clock(),
  };
  ctx.state.thingTypes.set(thingTypeName, type);
  await ctx.events.emit("THING_TYPE", (stamp) => thingTypeEvent(stamp, "CREATED", type));
  return { thingTypeName, thingTypeArn: arn, thingTypeId: type.thingTypeId };
};

const describeThingType = (call: IotCall): Record<string, unknown> => {
  const type = requireThingType(call.ctx, label(call, "thingTypeName"));
  return {
    thingTypeName: type.thingTypeName,
    thingTypeId: type.thingTypeId,
    thingTypeArn: iotArn(call.ctx.region, "thingtype", type.thingTypeName),
    thingTypeProperties: describeProperties(type),
    thingTypeMetadata: describeMetadata(type),
  };
};

const deprecateThingType = async (call: IotCall): Promise<Record<string, unknown>> => {
  const type = requireThingType(call.ctx, label(call, "thingTypeName"));
  const undo = optionalBoolean(call.body.undoDeprecate, "undoDeprecate") === true;
  type.deprecated = !undo;
  type.deprecationDate = undo ? undefined : call.ctx.clock();
  await call.ctx.events.emit("THING_TYPE", (stamp) => thingTypeEvent(stamp, "UPDATED", type));
  return {};
};

const updateThingType = async (call: IotCall): Promise<Record<string, unknown>> => {
  const type = requireThingType(call.ctx, label(call, "thingTypeName"));
  const props = readProperties(call.body.thingTypeProperties);
  if (JSON.stringify(props.searchableAttributes) !== JSON.stringify(type.searchableAttributes) && props.searchableAttributes.length > 0) {
    throw invalidRequest("searchableAttributes of a thing type cannot be changed");
  }
  type.description = props.description ?? type.description;
  type.propagatingAttributes = props.propagatingAttributes;
  await call.ctx.events.emit("THING_TYPE", (stamp) => thingTypeEvent(stamp, "UPDATED", type));
  return {};
};

const deleteThingType = async (call: IotCall): Promise<Record<string, unknown>> => {
  const type = requireThingType(call.ctx, label(call, "thingTypeName"));
  if (!type.deprecated) throw invalidRequest(`Thing type ${type.thingTypeName} must be deprecated before it can be deleted`);
  const typedThing = [...call.ctx.state.things.values()].find((thing) => thing.thingTypeName === type.thingTypeName);
  if (typedThing) throw invalidRequest(`Thing type ${type.thingTypeName} is still associated with thing ${typedThing.thingName}`);
  call.ctx.state.thingTypes.delete(type.thingTypeName);
  await call.ctx.events.emit("THING_TYPE", (stamp) => thingTypeEvent(stamp, "DELETED", type));
  return {};
};

const listThingTypes = ({ ctx, query }: IotCall): Record<string, unknown> => {
  const nameFilter = query.get("thingTypeName");
  const types = [...ctx.state.thingTypes.values()].filter((type) => !nameFilter || type.thingTypeName === nameFilter);
  const page = pageByKey(types, (type) => type.thingTypeName, {
    maxResults: queryInteger(query, "maxResults"),
    nextToken: query.get("nextToken"),
    ...REGISTRY_PAGE,
  });
  return {
    thingTypes: page.items.map((type) => ({
      thingTypeName: type.thingTypeName,
      thingTypeArn: iotArn(ctx.region, "thingtype", type.thingTypeName),
      thingTypeProperties: describeProperties(type),
      thingTypeMetadata: describeMetadata(type),
    })),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
};

/** Thing types: templates for things, deprecated before deletion (AWS's 5-minute wait is skipped). */
export const thingTypeRoutes: readonly IotRoute[] = [
  { method: "POST", path: "/thing-types/{thingTypeName}/deprecate", operation: "DeprecateThingType", handler: deprecateThingType },
  { method: "POST", path: "/thing-types/{thingTypeName}", operation: "CreateThingType", handler: createThingType },
  { method: "GET", path: "/thing-types/{thingTypeName}", operation: "DescribeThingType", handler: describeThingType },
  { method: "PATCH", path: "/thing-types/{thingTypeName}", operation: "UpdateThingType", handler: updateThingType },
  { method: "DELETE", path: "/thing-types/{thingTypeName}", operation: "DeleteThingType", handler: deleteThingType },
  { method: "GET", path: "/thing-types", operation: "ListThingTypes", handler: listThingTypes },
];
