import { parseRegistryEvent, parseRegistryEventJson } from "../../../../src/domain/registry/parse-registry-event";
import { registryPayloads } from "../../../support/sample-events";

const [thing, thingType, association, group, membership, hierarchy] = registryPayloads("capture-every-registry-kind.json") as [
  Record<string, unknown>,
  Record<string, unknown>,
  Record<string, unknown>,
  Record<string, unknown>,
  Record<string, unknown>,
  Record<string, unknown>,
];

const reasonFor = (payload: unknown): string => {
  const result = parseRegistryEvent(payload);
  if (result.isOk()) throw new Error("expected a parse error");
  return result.error.message;
};

const [classicUpdate, , namedUpdate, namedDelete] = registryPayloads("capture-shadow-documents.json") as [
  Record<string, unknown>,
  Record<string, unknown>,
  Record<string, unknown>,
  Record<string, unknown>,
];

describe("parseRegistryEvent", () => {
  it("parses a THING event with its version, type and attributes", () => {
    expect(parseRegistryEvent(thing)._unsafeUnwrap()).toEqual({
      entityType: "thing",
      eventId: "f5ae9b94-8b8e-4d8e-8c8f-b3266dd89853",
      timestamp: 1767225600000,
      accountId: "123456789012",
      operation: "CREATED",
      state: {
        thingId: "b604f69c-aa9a-4d4a-829e-c480e958a0b5",
        thingName: "MyLightBulb5",
        version: 1,
        thingTypeName: null,
        attributes: { color: "red", wattage: "60" },
      },
    });
  });

  it("parses a THING_TYPE event including deprecation", () => {
    const deprecated = { ...thingType, operation: "UPDATED", isDeprecated: true, deprecationDate: 1767225609999 };
    expect(parseRegistryEvent(deprecated)._unsafeUnwrap()).toMatchObject({
      entityType: "thingType",
      operation: "UPDATED",
      state: {
        thingTypeName: "LightBulb",
        thingTypeId: "c530ae83-32aa-4592-94d3-da29879d1aac",
        isDeprecated: true,
        deprecationDate: 1767225609999,
        searchableAttributes: ["wattage"],
        description: "Smart light bulbs",
      },
    });
  });

  it.each([
    ["CREATED", "ADDED"],
    ["ADDED", "ADDED"],
    ["DELETED", "REMOVED"],
    ["REMOVED", "REMOVED"],
  ])("accepts both documented THING_TYPE_ASSOCIATION forms: %s -> %s", (operation, normalised) => {
    expect(parseRegistryEvent({ ...association, operation })._unsafeUnwrap()).toMatchObject({
      entityType: "thingTypeAssociation",
      operation: normalised,
      state: { thingName: "MyLightBulb5", thingTypeName: "LightBulb" },
    });
  });

  it("parses a THING_GROUP event with parent, description, attributes and ancestor names from ARNs", () => {
    expect(parseRegistryEvent(group)._unsafeUnwrap()).toMatchObject({
      entityType: "thingGroup",
      state: {
        thingGroupName: "Kitchen",
        version: 1,
        parentGroupName: "House",
        description: "Kitchen lights",
        rootToParentGroupNames: ["House"],
        attributes: { floor: "1" },
      },
    });
  });

  it("takes membership names out of the ARNs, whatever the partition", () => {
    const china = {
      ...membership,
      groupArn: "arn:aws-cn:iot:cn-north-1:123456789012:thinggroup/Kitchen",
      thingArn: "arn:aws-cn:iot:cn-north-1:123456789012:thing/MyLightBulb5",
    };
    for (const payload of [membership, china]) {
      expect(parseRegistryEvent(payload)._unsafeUnwrap()).toMatchObject({
        entityType: "thingGroupMembership",
        operation: "ADDED",
        state: { thingGroupName: "Kitchen", thingName: "MyLightBulb5", membershipId: "8505ebf8-4d32-4286-80e9-c23a4a16bbd8" },
      });
    }
  });

  it("parses a THING_GROUP_HIERARCHY event", () => {
    expect(parseRegistryEvent({ ...hierarchy, operation: "REMOVED" })._unsafeUnwrap()).toMatchObject({
      entityType: "thingGroupHierarchy",
      operation: "REMOVED",
      state: { parentGroupName: "House", childGroupName: "Kitchen" },
    });
  });

  it.each([
    ["a JSON array", [], "the event payload must be a JSON object"],
    ["no eventType", { ...thing, eventType: undefined }, "eventType: is missing or not a string"],
    ["an unknown eventType", { ...thing, eventType: "THING_SHAPE_EVENT" }, 'eventType: unknown registry event type "THING_SHAPE_EVENT"'],
    ["a missing thingId", { ...thing, thingId: undefined }, "thingId: is missing"],
    ["an empty thingName", { ...thing, thingName: "" }, "thingName: must not be empty"],
    ["a string versionNumber", { ...thing, versionNumber: "7" }, 'versionNumber: must be a non-negative integer, got "7"'],
    ["a fractional timestamp", { ...thing, timestamp: 1.5 }, "timestamp: must be a non-negative integer, got 1.5"],
    ["an unknown operation", { ...thing, operation: "RENAMED" }, 'operation: must be one of CREATED, UPDATED, DELETED, got "RENAMED"'],
    ["a numeric attribute", { ...thing, attributes: { watts: 60 } }, "attributes.watts: must be a string, got a number"],
    ["attributes as an array", { ...thing, attributes: ["a"] }, "attributes: must be an object, got an array"],
    ["a non-boolean isDeprecated", { ...thingType, isDeprecated: "yes" }, "isDeprecated: must be a boolean, got a string"],
    [
      "searchableAttributes with a number",
      { ...thingType, searchableAttributes: [1] },
      "searchableAttributes: must be an array of strings",
    ],
    [
      "a group ARN of the wrong type",
      { ...membership, groupArn: "arn:aws:iot:us-east-1:123456789012:thing/Kitchen" },
      "groupArn: must be a thinggroup ARN, got a thing ARN",
    ],
    ["a thing ARN that is not an ARN", { ...membership, thingArn: "MyLightBulb5" }, 'thingArn: is not an AWS IoT ARN: "MyLightBulb5"'],
    [
      "a bad ancestor ARN",
      { ...group, rootToParentThingGroups: [{ groupArn: "nope" }] },
      'rootToParentThingGroups[0].groupArn: is not an AWS IoT ARN: "nope"',
    ],
    ["a hierarchy without childGroupName", { ...hierarchy, childGroupName: null }, "childGroupName: must be a string, got null"],
    ...["Bulb#1", "Bulb/1", "Bulb+", "$aws", "Bulb\u0000", "Bulb 1", "Lampe-été", "x".repeat(129)].map(
      (thingName): [string, unknown, string] => [
        `the thing name ${JSON.stringify(thingName.slice(0, 12))} outside AWS IoT's pattern`,
        { ...thing, thingName },
        `thingName: must be 1 to 128 of a-z, A-Z, 0-9, ':', '_', '-' (AWS IoT names), got ${JSON.stringify(thingName)}`,
      ],
    ),
    [
      "a group name with '#' inside a membership ARN",
      { ...membership, groupArn: "arn:aws:iot:us-east-1:123456789012:thinggroup/Kit#chen" },
      `groupArn: must be 1 to 128 of a-z, A-Z, 0-9, ':', '_', '-' (AWS IoT names), got "Kit#chen"`,
    ],
    ["a parent group name with '/'", { ...group, parentGroupName: "a/b" }, expect.stringMatching(/^parentGroupName: must be 1 to 128/)],
  ])("rejects %s, naming the field", (_case, payload, reason) => {
    expect(reasonFor(payload)).toEqual(reason);
  });

  it("rejects a body that is not JSON", () => {
    const result = parseRegistryEventJson("this is not json");
    expect(result._unsafeUnwrapErr().message).toMatch(/^body is not JSON/);
  });

  describe("shadow messages (told apart by their $aws/things/... topic)", () => {
    it("parses a classic shadow's /update/documents into the current document, timestamp in milliseconds", () => {
      expect(parseRegistryEvent(classicUpdate)._unsafeUnwrap()).toEqual({
        entityType: "shadow",
        eventId: "$aws/things/MyLightBulb5/shadow/update/documents@1@1767225600",
        timestamp: 1767225600000,
        operation: "UPDATED",
        state: { thingName: "MyLightBulb5", shadowName: null, desired: { color: "red" }, reported: {}, version: 1 },
      });
    });

    it("parses a named shadow's documents and its /delete/accepted (the deleted document's version)", () => {
      expect(parseRegistryEvent(namedUpdate)._unsafeUnwrap().state).toMatchObject({ shadowName: "config", version: 7 });
      expect(parseRegistryEvent(namedDelete)._unsafeUnwrap()).toMatchObject({
        operation: "DELETED",
        timestamp: 1767225603000,
        state: { thingName: "MyLightBulb5", shadowName: "config", version: 7 },
      });
    });

    it("gives a duplicate the same eventId and different writes different ones", () => {
      const id = (payload: unknown) => parseRegistryEvent(payload)._unsafeUnwrap().eventId;
      expect(id({ ...classicUpdate })).toBe(id(classicUpdate));
      expect(id({ ...classicUpdate, timestamp: 1767225601 })).not.toBe(id(classicUpdate));
    });

    it.each([
      [{ ...classicUpdate, topic: "$aws/things/MyLightBulb5/shadow/update/accepted" }, "topic: must be a shadow's"],
      [{ ...classicUpdate, topic: "$aws/things/bad thing/shadow/update/documents" }, "topic: must be 1 to 128"],
      [{ ...namedDelete, topic: `$aws/things/t/shadow/name/${"n".repeat(65)}/delete/accepted` }, "topic: the shadow name must be 1 to 64"],
      [{ ...classicUpdate, timestamp: "now" }, "timestamp: must be a non-negative integer"],
      [{ ...classicUpdate, current: null }, "current: must be a JSON object"],
      [{ ...classicUpdate, current: { state: [], version: 1 } }, "current.state: must be a JSON object"],
      [{ ...classicUpdate, current: { state: { desired: "red" }, version: 1 } }, "current.state.desired: must be a JSON object"],
      [{ ...classicUpdate, current: { state: {} } }, "current.version: is missing"],
      [{ ...namedDelete, version: undefined }, "version: is missing"],
    ])("refuses a bad shadow message with the field named (%#)", (payload, reason) => {
      expect(reasonFor(payload)).toContain(reason);
    });
  });
});
