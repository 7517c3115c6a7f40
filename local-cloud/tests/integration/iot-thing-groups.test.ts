import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DescribeThingGroupCommand,
  type IoTClient,
  ListThingGroupsCommand,
  type ListThingGroupsCommandInput,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  RemoveThingFromThingGroupCommand,
  UpdateThingGroupCommand,
} from "@aws-sdk/client-iot";
import { errorName, type IotTestEndpoint, startIotTestEndpoint } from "./iot-test-endpoint";

let local: IotTestEndpoint;
let iot: IoTClient;

beforeAll(async () => {
  local = await startIotTestEndpoint();
  iot = local.client("us-west-2");
  await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet", thingGroupProperties: { thingGroupDescription: "all devices" } }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet-eu", parentGroupName: "fleet" }));
  await iot.send(
    new CreateThingGroupCommand({
      thingGroupName: "fleet-eu-berlin",
      parentGroupName: "fleet-eu",
      thingGroupProperties: { attributePayload: { attributes: { city: "berlin" } } },
    }),
  );
  await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet-us", parentGroupName: "fleet" }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: "other" }));
});
afterAll(async () => {
  await local.close();
});

const arn = (name: string): string => `arn:aws:iot:us-west-2:000000000000:thinggroup/${name}`;

describe("thing groups", () => {
  it("describes a nested group with its ancestry", async () => {
    const group = await iot.send(new DescribeThingGroupCommand({ thingGroupName: "fleet-eu-berlin" }));
    expect(group).toMatchObject({
      thingGroupName: "fleet-eu-berlin",
      thingGroupArn: arn("fleet-eu-berlin"),
      version: 1,
      thingGroupProperties: { attributePayload: { attributes: { city: "berlin" } } },
      thingGroupMetadata: {
        parentGroupName: "fleet-eu",
        rootToParentThingGroups: [
          { groupName: "fleet", groupArn: arn("fleet") },
          { groupName: "fleet-eu", groupArn: arn("fleet-eu") },
        ],
      },
    });
    expect(group.thingGroupMetadata?.creationDate).toBeInstanceOf(Date);
    expect((await iot.send(new DescribeThingGroupCommand({ thingGroupName: "fleet" }))).thingGroupProperties?.thingGroupDescription).toBe(
      "all devices",
    );
  });

  it("refuses a missing parent, a conflicting re-create and unknown groups", async () => {
    expect(await errorName(iot.send(new CreateThingGroupCommand({ thingGroupName: "orphan", parentGroupName: "ghost" })))).toBe(
      "ResourceNotFoundException",
    );
    expect(await errorName(iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet-eu", parentGroupName: "fleet-us" })))).toBe(
      "ResourceAlreadyExistsException",
    );
    const same = await iot.send(new CreateThingGroupCommand({ thingGroupName: "fleet-eu", parentGroupName: "fleet" }));
    expect(same.thingGroupArn).toBe(arn("fleet-eu"));
    expect(await errorName(iot.send(new DescribeThingGroupCommand({ thingGroupName: "ghost" })))).toBe("ResourceNotFoundException");
  });

  it("updates with expectedVersion and bumps the version", async () => {
    const updated = await iot.send(
      new UpdateThingGroupCommand({
        thingGroupName: "other",
        expectedVersion: 1,
        thingGroupProperties: { thingGroupDescription: "misc", attributePayload: { attributes: { a: "1" }, merge: true } },
      }),
    );
    expect(updated.version).toBe(2);
    expect(
      await errorName(
        iot.send(
          new UpdateThingGroupCommand({
            thingGroupName: "other",
            expectedVersion: 1,
            thingGroupProperties: { thingGroupDescription: "x" },
          }),
        ),
      ),
    ).toBe("VersionConflictException");
    const group = await iot.send(new DescribeThingGroupCommand({ thingGroupName: "other" }));
    expect(group).toMatchObject({
      version: 2,
      thingGroupProperties: { thingGroupDescription: "misc", attributePayload: { attributes: { a: "1" } } },
    });
  });

  it("lists groups by parent, recursively, by prefix and in pages", async () => {
    const names = async (input: ListThingGroupsCommandInput): Promise<string[]> =>
      ((await iot.send(new ListThingGroupsCommand(input))).thingGroups ?? []).map((group) => group.groupName ?? "");
    expect(await names({})).toEqual(["fleet", "fleet-eu", "fleet-eu-berlin", "fleet-us", "other"]);
    expect(await names({ parentGroup: "fleet" })).toEqual(["fleet-eu", "fleet-us"]);
    expect(await names({ parentGroup: "fleet", recursive: true })).toEqual(["fleet-eu", "fleet-eu-berlin", "fleet-us"]);
    expect(await names({ namePrefixFilter: "fleet-e" })).toEqual(["fleet-eu", "fleet-eu-berlin"]);
    const first = await iot.send(new ListThingGroupsCommand({ maxResults: 2 }));
    expect(first.thingGroups?.map((group) => group.groupArn)).toEqual([arn("fleet"), arn("fleet-eu")]);
    const second = await iot.send(new ListThingGroupsCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.thingGroups?.map((group) => group.groupName)).toEqual(["fleet-eu-berlin", "fleet-us"]);
  });

  it("refuses to delete a group with children and deletes a leaf", async () => {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "temp-parent" }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "temp-child", parentGroupName: "temp-parent" }));
    expect(await errorName(iot.send(new DeleteThingGroupCommand({ thingGroupName: "temp-parent" })))).toBe("InvalidRequestException");
    expect(await errorName(iot.send(new DeleteThingGroupCommand({ thingGroupName: "temp-child", expectedVersion: 5 })))).toBe(
      "VersionConflictException",
    );
    await iot.send(new DeleteThingGroupCommand({ thingGroupName: "temp-child", expectedVersion: 1 }));
    await iot.send(new DeleteThingGroupCommand({ thingGroupName: "temp-parent" }));
    expect(await errorName(iot.send(new DescribeThingGroupCommand({ thingGroupName: "temp-parent" })))).toBe("ResourceNotFoundException");
  });
});

describe("thing group membership", () => {
  beforeAll(async () => {
    for (const thingName of ["m-1", "m-2", "m-3"]) await iot.send(new CreateThingCommand({ thingName }));
    await iot.send(new AddThingToThingGroupCommand({ thingName: "m-1", thingGroupName: "fleet-eu" }));
    await iot.send(
      new AddThingToThingGroupCommand({ thingArn: "arn:aws:iot:us-west-2:000000000000:thing/m-2", thingGroupArn: arn("fleet-eu-berlin") }),
    );
    await iot.send(new AddThingToThingGroupCommand({ thingName: "m-3", thingGroupName: "fleet" }));
    await iot.send(new AddThingToThingGroupCommand({ thingName: "m-1", thingGroupName: "other" }));
  });

  it("lists things in a group, directly or recursively", async () => {
    const direct = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: "fleet-eu" }));
    expect(direct.things).toEqual(["m-1"]);
    const recursive = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: "fleet", recursive: true }));
    expect(recursive.things).toEqual(["m-1", "m-2", "m-3"]);
    const paged = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: "fleet", recursive: true, maxResults: 2 }));
    expect(paged.things).toEqual(["m-1", "m-2"]);
    expect(paged.nextToken).toBeDefined();
  });

  it("lists the groups of a thing and removes memberships", async () => {
    const groups = await iot.send(new ListThingGroupsForThingCommand({ thingName: "m-1" }));
    expect(groups.thingGroups).toEqual([
      { groupName: "fleet-eu", groupArn: arn("fleet-eu") },
      { groupName: "other", groupArn: arn("other") },
    ]);
    await iot.send(new RemoveThingFromThingGroupCommand({ thingName: "m-1", thingGroupName: "other" }));
    await iot.send(new RemoveThingFromThingGroupCommand({ thingName: "m-1", thingGroupName: "other" }));
    expect((await iot.send(new ListThingGroupsForThingCommand({ thingName: "m-1" }))).thingGroups).toHaveLength(1);
  });

  it("refuses unknown things and groups", async () => {
    expect(await errorName(iot.send(new AddThingToThingGroupCommand({ thingName: "ghost", thingGroupName: "fleet" })))).toBe(
      "ResourceNotFoundException",
    );
    expect(await errorName(iot.send(new AddThingToThingGroupCommand({ thingName: "m-1", thingGroupName: "ghost" })))).toBe(
      "ResourceNotFoundException",
    );
    expect(await errorName(iot.send(new AddThingToThingGroupCommand({ thingGroupName: "fleet" })))).toBe("InvalidRequestException");
    expect(await errorName(iot.send(new ListThingGroupsForThingCommand({ thingName: "ghost" })))).toBe("ResourceNotFoundException");
  });

  it("drops memberships when a thing or a group is deleted", async () => {
    await iot.send(new CreateThingCommand({ thingName: "gone" }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "short-lived" }));
    await iot.send(new AddThingToThingGroupCommand({ thingName: "gone", thingGroupName: "fleet-us" }));
    await iot.send(new AddThingToThingGroupCommand({ thingName: "m-3", thingGroupName: "short-lived" }));
    await iot.send(new DeleteThingCommand({ thingName: "gone" }));
    expect((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: "fleet-us" }))).things).toEqual([]);
    await iot.send(new DeleteThingGroupCommand({ thingGroupName: "short-lived" }));
    expect((await iot.send(new ListThingGroupsForThingCommand({ thingName: "m-3" }))).thingGroups?.map((group) => group.groupName)).toEqual(
      ["fleet"],
    );
  });
});
