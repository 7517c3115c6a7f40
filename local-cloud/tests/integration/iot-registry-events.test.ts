import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeEventConfigurationsCommand,
  type IoTClient,
  RemoveThingFromThingGroupCommand,
  UpdateEventConfigurationsCommand,
  UpdateThingCommand,
  UpdateThingGroupCommand,
} from "@aws-sdk/client-iot";
import { errorName, type IotTestEndpoint, type PublishedMessage, startIotTestEndpoint } from "./iot-test-endpoint";

let local: IotTestEndpoint;

beforeAll(async () => {
  local = await startIotTestEndpoint();
});
afterAll(async () => {
  await local.close();
});

const ALL_REGISTRY_EVENTS = [
  "THING",
  "THING_TYPE",
  "THING_TYPE_ASSOCIATION",
  "THING_GROUP",
  "THING_GROUP_MEMBERSHIP",
  "THING_GROUP_HIERARCHY",
];

const enableAll = async (iot: IoTClient): Promise<void> => {
  await iot.send(
    new UpdateEventConfigurationsCommand({
      eventConfigurations: Object.fromEntries(ALL_REGISTRY_EVENTS.map((type) => [type, { Enabled: true }])),
    }),
  );
};

/** Takes the messages published so far, leaving the recorder empty for the next step. */
const drain = (): PublishedMessage[] => local.messages.splice(0, local.messages.length);

describe("event configurations", () => {
  it("starts with every event type disabled and publishes nothing", async () => {
    const iot = local.client("sa-east-1");
    const config = await iot.send(new DescribeEventConfigurationsCommand({}));
    expect(Object.keys(config.eventConfigurations ?? {})).toEqual(
      expect.arrayContaining([...ALL_REGISTRY_EVENTS, "POLICY", "CERTIFICATE", "JOB"]),
    );
    expect(Object.values(config.eventConfigurations ?? {}).every((entry) => entry.Enabled === false)).toBe(true);
    drain();
    await iot.send(new CreateThingCommand({ thingName: "quiet" }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "quiet-group" }));
    expect(drain()).toEqual([]);
  });

  it("enables types per region and refuses unknown types", async () => {
    const iot = local.client("ca-central-1");
    await iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { THING: { Enabled: true } } }));
    const config = await iot.send(new DescribeEventConfigurationsCommand({}));
    expect(config.eventConfigurations?.THING).toEqual({ Enabled: true });
    expect(config.eventConfigurations?.THING_GROUP).toEqual({ Enabled: false });
    expect((await local.client("sa-east-1").send(new DescribeEventConfigurationsCommand({}))).eventConfigurations?.THING).toEqual({
      Enabled: false,
    });
    expect(
      await errorName(
        iot.send(
          new UpdateEventConfigurationsCommand({
            eventConfigurations: { NOPE: { Enabled: true } } as Record<string, { Enabled: boolean }>,
          }),
        ),
      ),
    ).toBe("InvalidRequestException");
    drain();
    await iot.send(new CreateThingCommand({ thingName: "loud" }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "still-quiet" }));
    expect(drain().map((message) => [message.region, message.topic])).toEqual([["ca-central-1", "$aws/events/thing/loud/created"]]);
  });
});

describe("thing and thing type events", () => {
  let iot: IoTClient;
  beforeAll(async () => {
    iot = local.client("eu-central-1");
    await enableAll(iot);
    drain();
  });

  it("publishes CREATED, UPDATED and DELETED thing events with AWS's payload", async () => {
    local.setNow(1_710_000_000_000);
    const created = await iot.send(new CreateThingCommand({ thingName: "pump", attributePayload: { attributes: { model: "x1" } } }));
    local.setNow(1_710_000_001_000);
    await iot.send(new UpdateThingCommand({ thingName: "pump", attributePayload: { attributes: { fw: "2" }, merge: true } }));
    local.setNow(1_710_000_002_000);
    await iot.send(new DeleteThingCommand({ thingName: "pump" }));
    const [createdEvent, updatedEvent, deletedEvent, ...rest] = drain();
    expect(rest).toEqual([]);
    expect(createdEvent?.topic).toBe("$aws/events/thing/pump/created");
    expect(createdEvent?.payload).toEqual({
      eventType: "THING_EVENT",
      eventId: expect.any(String),
      timestamp: 1_710_000_000_000,
      operation: "CREATED",
      accountId: "000000000000",
      thingId: created.thingId,
      thingName: "pump",
      versionNumber: 1,
      thingTypeName: null,
      attributes: { model: "x1" },
    });
    expect(updatedEvent?.topic).toBe("$aws/events/thing/pump/updated");
    expect(updatedEvent?.payload).toMatchObject({
      operation: "UPDATED",
      versionNumber: 2,
      timestamp: 1_710_000_001_000,
      attributes: { model: "x1", fw: "2" },
    });
    expect(deletedEvent?.topic).toBe("$aws/events/thing/pump/deleted");
    expect(deletedEvent?.payload).toMatchObject({
      operation: "DELETED",
      versionNumber: 2,
      thingId: created.thingId,
      timestamp: 1_710_000_002_000,
    });
    expect(new Set([createdEvent, updatedEvent, deletedEvent].map((event) => event?.payload.eventId)).size).toBe(3);
  });

  it("gives a deleted and re-created thing a new thingId and versionNumber 1", async () => {
    const first = await iot.send(new CreateThingCommand({ thingName: "reborn" }));
    await iot.send(new UpdateThingCommand({ thingName: "reborn", attributePayload: { attributes: { a: "1" } } }));
    await iot.send(new DeleteThingCommand({ thingName: "reborn" }));
    drain();
    const second = await iot.send(new CreateThingCommand({ thingName: "reborn" }));
    const [event] = drain();
    expect(event?.payload).toMatchObject({ operation: "CREATED", thingId: second.thingId, versionNumber: 1 });
    expect(second.thingId).not.toBe(first.thingId);
  });

  it("publishes thing type events and type association events", async () => {
    local.setNow(1_720_000_000_000);
    const type = await iot.send(
      new CreateThingTypeCommand({
        thingTypeName: "valve",
        thingTypeProperties: { thingTypeDescription: "a valve", searchableAttributes: ["size"] },
      }),
    );
    await iot.send(new CreateThingTypeCommand({ thingTypeName: "valve-v2" }));
    const thing = await iot.send(new CreateThingCommand({ thingName: "v-1", thingTypeName: "valve" }));
    const createdEvents = drain();
    expect(createdEvents.map((message) => message.topic)).toEqual([
      "$aws/events/thingType/valve/created",
      "$aws/events/thingType/valve-v2/created",
      "$aws/events/thing/v-1/created",
      "$aws/events/thingTypeAssociation/thing/v-1/valve",
    ]);
    expect(createdEvents[0]?.payload).toEqual({
      eventType: "THING_TYPE_EVENT",
      eventId: expect.any(String),
      timestamp: 1_720_000_000_000,
      operation: "CREATED",
      accountId: "000000000000",
      thingTypeId: type.thingTypeId,
      thingTypeName: "valve",
      isDeprecated: false,
      deprecationDate: null,
      searchableAttributes: ["size"],
      propagatingAttributes: [],
      description: "a valve",
    });
    expect(createdEvents[2]?.payload.thingTypeName).toBe("valve");
    expect(createdEvents[3]?.payload).toEqual({
      eventId: expect.any(String),
      eventType: "THING_TYPE_ASSOCIATION_EVENT",
      operation: "CREATED",
      thingId: thing.thingId,
      thingName: "v-1",
      thingTypeName: "valve",
      timestamp: 1_720_000_000_000,
    });

    await iot.send(new UpdateThingCommand({ thingName: "v-1", thingTypeName: "valve-v2" }));
    expect(drain().map((message) => [message.topic, message.payload.operation])).toEqual([
      ["$aws/events/thing/v-1/updated", "UPDATED"],
      ["$aws/events/thingTypeAssociation/thing/v-1/valve", "DELETED"],
      ["$aws/events/thingTypeAssociation/thing/v-1/valve-v2", "CREATED"],
    ]);

    local.setNow(1_720_000_005_000);
    await iot.send(new DeprecateThingTypeCommand({ thingTypeName: "valve" }));
    await iot.send(new DeleteThingTypeCommand({ thingTypeName: "valve" }));
    const typeEvents = drain();
    expect(typeEvents.map((message) => message.topic)).toEqual([
      "$aws/events/thingType/valve/updated",
      "$aws/events/thingType/valve/deleted",
    ]);
    expect(typeEvents[0]?.payload).toMatchObject({ operation: "UPDATED", isDeprecated: true, deprecationDate: 1_720_000_005_000 });

    await iot.send(new DeleteThingCommand({ thingName: "v-1" }));
    expect(drain().map((message) => [message.topic, message.payload.operation])).toEqual([
      ["$aws/events/thingTypeAssociation/thing/v-1/valve-v2", "DELETED"],
      ["$aws/events/thing/v-1/deleted", "DELETED"],
    ]);
  });
});

describe("thing group events", () => {
  let iot: IoTClient;
  const groupArn = (name: string): string => `arn:aws:iot:ap-northeast-1:000000000000:thinggroup/${name}`;
  beforeAll(async () => {
    iot = local.client("ap-northeast-1");
    await enableAll(iot);
    drain();
  });

  it("publishes group, hierarchy and membership events with AWS's payloads", async () => {
    local.setNow(1_730_000_000_000);
    const root = await iot.send(
      new CreateThingGroupCommand({ thingGroupName: "root", thingGroupProperties: { thingGroupDescription: "top" } }),
    );
    const child = await iot.send(
      new CreateThingGroupCommand({
        thingGroupName: "child",
        parentGroupName: "root",
        thingGroupProperties: { attributePayload: { attributes: { tier: "2" } } },
      }),
    );
    const events = drain();
    expect(events.map((message) => message.topic)).toEqual([
      "$aws/events/thingGroup/root/created",
      "$aws/events/thingGroup/child/created",
      "$aws/events/thingGroupHierarchy/thingGroup/root/childThingGroup/child/added",
    ]);
    expect(events[1]?.payload).toEqual({
      eventType: "THING_GROUP_EVENT",
      eventId: expect.any(String),
      timestamp: 1_730_000_000_000,
      operation: "CREATED",
      accountId: "000000000000",
      thingGroupId: child.thingGroupId,
      thingGroupName: "child",
      versionNumber: 1,
      parentGroupName: "root",
      parentGroupId: root.thingGroupId,
      description: null,
      rootToParentThingGroups: [{ groupArn: groupArn("root"), groupId: root.thingGroupId }],
      attributes: { tier: "2" },
      dynamicGroupMappingId: null,
    });
    expect(events[0]?.payload).toMatchObject({
      parentGroupName: null,
      parentGroupId: null,
      description: "top",
      rootToParentThingGroups: [],
    });
    expect(events[2]?.payload).toEqual({
      eventType: "THING_GROUP_HIERARCHY_EVENT",
      eventId: expect.any(String),
      timestamp: 1_730_000_000_000,
      operation: "ADDED",
      accountId: "000000000000",
      thingGroupId: root.thingGroupId,
      thingGroupName: "root",
      childGroupId: child.thingGroupId,
      childGroupName: "child",
    });

    await iot.send(
      new UpdateThingGroupCommand({ thingGroupName: "child", thingGroupProperties: { thingGroupDescription: "second tier" } }),
    );
    const [updated] = drain();
    expect(updated?.topic).toBe("$aws/events/thingGroup/child/updated");
    expect(updated?.payload).toMatchObject({ operation: "UPDATED", versionNumber: 2, description: "second tier" });

    const thing = await iot.send(new CreateThingCommand({ thingName: "member" }));
    drain();
    await iot.send(new AddThingToThingGroupCommand({ thingName: "member", thingGroupName: "child" }));
    await iot.send(new AddThingToThingGroupCommand({ thingName: "member", thingGroupName: "child" }));
    const [added, ...noDuplicate] = drain();
    expect(noDuplicate).toEqual([]);
    expect(added?.topic).toBe("$aws/events/thingGroupMembership/thingGroup/child/thing/member/added");
    expect(added?.payload).toEqual({
      eventType: "THING_GROUP_MEMBERSHIP_EVENT",
      eventId: expect.any(String),
      timestamp: 1_730_000_000_000,
      operation: "ADDED",
      accountId: "000000000000",
      groupArn: groupArn("child"),
      groupId: child.thingGroupId,
      thingArn: "arn:aws:iot:ap-northeast-1:000000000000:thing/member",
      thingId: thing.thingId,
      membershipId: expect.any(String),
    });
    await iot.send(new RemoveThingFromThingGroupCommand({ thingName: "member", thingGroupName: "child" }));
    const [removed] = drain();
    expect(removed?.topic).toBe("$aws/events/thingGroupMembership/thingGroup/child/thing/member/removed");
    expect(removed?.payload).toMatchObject({ operation: "REMOVED", membershipId: added?.payload.membershipId });
  });

  it("publishes REMOVED for each membership of a deleted thing, and hierarchy REMOVED for a deleted child group", async () => {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "g-a" }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "g-b", parentGroupName: "g-a" }));
    await iot.send(new CreateThingCommand({ thingName: "leaver" }));
    await iot.send(new AddThingToThingGroupCommand({ thingName: "leaver", thingGroupName: "g-a" }));
    await iot.send(new AddThingToThingGroupCommand({ thingName: "leaver", thingGroupName: "g-b" }));
    drain();
    await iot.send(new DeleteThingCommand({ thingName: "leaver" }));
    expect(drain().map((message) => message.topic)).toEqual([
      "$aws/events/thingGroupMembership/thingGroup/g-a/thing/leaver/removed",
      "$aws/events/thingGroupMembership/thingGroup/g-b/thing/leaver/removed",
      "$aws/events/thing/leaver/deleted",
    ]);
    await iot.send(new DeleteThingGroupCommand({ thingGroupName: "g-b" }));
    const deleted = drain();
    expect(deleted.map((message) => message.topic)).toEqual([
      "$aws/events/thingGroupHierarchy/thingGroup/g-a/childThingGroup/g-b/removed",
      "$aws/events/thingGroup/g-b/deleted",
    ]);
    expect(deleted[1]?.payload).toMatchObject({ operation: "DELETED", versionNumber: 1, parentGroupName: "g-a" });
  });
});
