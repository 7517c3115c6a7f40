import { err, ok, type Result, safeTry } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import {
  isJsonObject,
  type JsonObject,
  readBoolean,
  readEnum,
  readNonNegativeInteger,
  readNullableNumber,
  readNullableString,
  readObjectArray,
  readString,
  readStringArray,
  readStringMap,
} from "../shared/json-fields";
import { readIotName, readNullableIotName, resourceNameFromArn } from "./iot-names";
import { parseShadowMessage, SHADOW_TOPIC_PREFIX } from "./parse-shadow-message";
import type { RegistryEvent, RelationOperation } from "./registry-events";

const CRUD = ["CREATED", "UPDATED", "DELETED"] as const;
const ADD_REMOVE = ["ADDED", "REMOVED"] as const;
const ASSOCIATION = ["CREATED", "DELETED", "ADDED", "REMOVED"] as const;

const envelope = (source: JsonObject) =>
  safeTry(function* () {
    return ok({
      eventId: yield* readString(source, "eventId"),
      timestamp: yield* readNonNegativeInteger(source, "timestamp"),
      accountId: (yield* readNullableString(source, "accountId")) ?? undefined,
    });
  });

const parseThing = (source: JsonObject): Result<RegistryEvent, InvalidEvent> =>
  safeTry(function* () {
    return ok({
      entityType: "thing" as const,
      ...(yield* envelope(source)),
      operation: yield* readEnum(source, "operation", CRUD),
      state: {
        thingId: yield* readString(source, "thingId"),
        thingName: yield* readIotName(source, "thingName"),
        version: yield* readNonNegativeInteger(source, "versionNumber"),
        thingTypeName: yield* readNullableIotName(source, "thingTypeName"),
        attributes: yield* readStringMap(source, "attributes"),
      },
    });
  });

const parseThingType = (source: JsonObject): Result<RegistryEvent, InvalidEvent> =>
  safeTry(function* () {
    return ok({
      entityType: "thingType" as const,
      ...(yield* envelope(source)),
      operation: yield* readEnum(source, "operation", CRUD),
      state: {
        thingTypeId: yield* readString(source, "thingTypeId"),
        thingTypeName: yield* readIotName(source, "thingTypeName"),
        isDeprecated: yield* readBoolean(source, "isDeprecated", false),
        deprecationDate: yield* readNullableNumber(source, "deprecationDate"),
        searchableAttributes: yield* readStringArray(source, "searchableAttributes"),
        description: yield* readNullableString(source, "description"),
      },
    });
  });

const toRelationOperation = (operation: (typeof ASSOCIATION)[number]): RelationOperation =>
  operation === "CREATED" || operation === "ADDED" ? "ADDED" : "REMOVED";

const parseThingTypeAssociation = (source: JsonObject): Result<RegistryEvent, InvalidEvent> =>
  safeTry(function* () {
    return ok({
      entityType: "thingTypeAssociation" as const,
      ...(yield* envelope(source)),
      operation: toRelationOperation(yield* readEnum(source, "operation", ASSOCIATION)),
      state: {
        thingId: yield* readString(source, "thingId"),
        thingName: yield* readIotName(source, "thingName"),
        thingTypeName: yield* readIotName(source, "thingTypeName"),
      },
    });
  });

const ancestorNames = (source: JsonObject): Result<readonly string[], InvalidEvent> =>
  safeTry(function* () {
    const names: string[] = [];
    const ancestors = yield* readObjectArray(source, "rootToParentThingGroups");
    for (const [index, ancestor] of ancestors.entries()) {
      const field = `rootToParentThingGroups[${index}].groupArn`;
      const arn = yield* readString(ancestor, "groupArn").mapErr((e) => new InvalidEvent(e.reason, field));
      names.push(yield* resourceNameFromArn(arn, "thinggroup", field));
    }
    return ok(names);
  });

const parseThingGroup = (source: JsonObject): Result<RegistryEvent, InvalidEvent> =>
  safeTry(function* () {
    return ok({
      entityType: "thingGroup" as const,
      ...(yield* envelope(source)),
      operation: yield* readEnum(source, "operation", CRUD),
      state: {
        thingGroupId: yield* readString(source, "thingGroupId"),
        thingGroupName: yield* readIotName(source, "thingGroupName"),
        version: yield* readNonNegativeInteger(source, "versionNumber"),
        parentGroupName: yield* readNullableIotName(source, "parentGroupName"),
        parentGroupId: yield* readNullableString(source, "parentGroupId"),
        description: yield* readNullableString(source, "description"),
        rootToParentGroupNames: yield* ancestorNames(source),
        attributes: yield* readStringMap(source, "attributes"),
      },
    });
  });

/** AWS sends a membership's names only inside the ARNs; they are taken from there. */
const parseThingGroupMembership = (source: JsonObject): Result<RegistryEvent, InvalidEvent> =>
  safeTry(function* () {
    return ok({
      entityType: "thingGroupMembership" as const,
      ...(yield* envelope(source)),
      operation: yield* readEnum(source, "operation", ADD_REMOVE),
      state: {
        thingGroupName: yield* resourceNameFromArn(yield* readString(source, "groupArn"), "thinggroup", "groupArn"),
        thingName: yield* resourceNameFromArn(yield* readString(source, "thingArn"), "thing", "thingArn"),
        groupId: yield* readNullableString(source, "groupId"),
        thingId: yield* readNullableString(source, "thingId"),
        membershipId: yield* readNullableString(source, "membershipId"),
      },
    });
  });

const parseThingGroupHierarchy = (source: JsonObject): Result<RegistryEvent, InvalidEvent> =>
  safeTry(function* () {
    return ok({
      entityType: "thingGroupHierarchy" as const,
      ...(yield* envelope(source)),
      operation: yield* readEnum(source, "operation", ADD_REMOVE),
      state: {
        parentGroupName: yield* readIotName(source, "thingGroupName"),
        parentGroupId: yield* readNullableString(source, "thingGroupId"),
        childGroupName: yield* readIotName(source, "childGroupName"),
        childGroupId: yield* readNullableString(source, "childGroupId"),
      },
    });
  });

const PARSERS: Readonly<Record<string, (source: JsonObject) => Result<RegistryEvent, InvalidEvent>>> = {
  THING_EVENT: parseThing,
  THING_TYPE_EVENT: parseThingType,
  THING_TYPE_ASSOCIATION_EVENT: parseThingTypeAssociation,
  THING_GROUP_EVENT: parseThingGroup,
  THING_GROUP_MEMBERSHIP_EVENT: parseThingGroupMembership,
  THING_GROUP_HIERARCHY_EVENT: parseThingGroupHierarchy,
};

/**
 * Validates one decoded registry event payload into a typed event, naming the first bad field. A
 * shadow message (its rule adds the `$aws/things/...` topic it came from) becomes a shadow event.
 */
export const parseRegistryEvent = (payload: unknown): Result<RegistryEvent, InvalidEvent> => {
  if (!isJsonObject(payload)) return err(new InvalidEvent("the event payload must be a JSON object"));
  const topic = payload["topic"];
  if (typeof topic === "string" && topic.startsWith(SHADOW_TOPIC_PREFIX)) return parseShadowMessage(payload);
  const eventType = payload["eventType"];
  if (typeof eventType !== "string") return err(new InvalidEvent("is missing or not a string", "eventType"));
  const parse = PARSERS[eventType];
  if (!parse) return err(new InvalidEvent(`unknown registry event type ${JSON.stringify(eventType)}`, "eventType"));
  return parse(payload);
};

/** Decodes and validates a registry event that arrives as text (an SQS message body). */
export const parseRegistryEventJson = (body: string): Result<RegistryEvent, InvalidEvent> => {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (cause) {
    return err(new InvalidEvent(`body is not JSON (${(cause as Error).message})`));
  }
  return parseRegistryEvent(payload);
};
