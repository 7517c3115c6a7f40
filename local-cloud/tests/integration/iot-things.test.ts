import {
  CreateThingCommand,
  CreateThingTypeCommand,
  DeleteThingCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeThingCommand,
  DescribeThingTypeCommand,
  type IoTClient,
  ListThingsCommand,
  ListThingTypesCommand,
  UpdateThingCommand,
  UpdateThingTypeCommand,
} from "@aws-sdk/client-iot";
import { errorName, type IotTestEndpoint, startIotTestEndpoint } from "./iot-test-endpoint";

let local: IotTestEndpoint;
let iot: IoTClient;

beforeAll(async () => {
  local = await startIotTestEndpoint();
  iot = local.client("us-east-1");
});
afterAll(async () => {
  await local.close();
});

describe("things", () => {
  it("creates and describes a thing with attributes", async () => {
    const created = await iot.send(
      new CreateThingCommand({ thingName: "sensor-1", attributePayload: { attributes: { floor: "1", room: "a" } } }),
    );
    expect(created.thingArn).toBe("arn:aws:iot:us-east-1:000000000000:thing/sensor-1");
    const described = await iot.send(new DescribeThingCommand({ thingName: "sensor-1" }));
    expect(described).toMatchObject({
      thingName: "sensor-1",
      thingId: created.thingId,
      thingArn: created.thingArn,
      defaultClientId: "sensor-1",
      attributes: { floor: "1", room: "a" },
      version: 1,
    });
    expect(described.thingTypeName).toBeUndefined();
  });

  it("is idempotent for an identical create and refuses a different one", async () => {
    const first = await iot.send(new CreateThingCommand({ thingName: "idem", attributePayload: { attributes: { a: "1" } } }));
    const again = await iot.send(new CreateThingCommand({ thingName: "idem", attributePayload: { attributes: { a: "1" } } }));
    expect(again.thingId).toBe(first.thingId);
    expect(await errorName(iot.send(new CreateThingCommand({ thingName: "idem", attributePayload: { attributes: { a: "2" } } })))).toBe(
      "ResourceAlreadyExistsException",
    );
  });

  it("merges or replaces attributes, removes empty values and bumps the version", async () => {
    await iot.send(new CreateThingCommand({ thingName: "upd", attributePayload: { attributes: { a: "1", b: "2" } } }));
    await iot.send(new UpdateThingCommand({ thingName: "upd", attributePayload: { attributes: { b: "", c: "3" }, merge: true } }));
    expect(await iot.send(new DescribeThingCommand({ thingName: "upd" }))).toMatchObject({ attributes: { a: "1", c: "3" }, version: 2 });
    await iot.send(new UpdateThingCommand({ thingName: "upd", attributePayload: { attributes: { z: "9" } }, expectedVersion: 2 }));
    const replaced = await iot.send(new DescribeThingCommand({ thingName: "upd" }));
    expect(replaced.attributes).toEqual({ z: "9" });
    expect(replaced.version).toBe(3);
    expect(await errorName(iot.send(new UpdateThingCommand({ thingName: "upd", expectedVersion: 1 })))).toBe("VersionConflictException");
    expect(await errorName(iot.send(new DeleteThingCommand({ thingName: "upd", expectedVersion: 2 })))).toBe("VersionConflictException");
    await iot.send(new DeleteThingCommand({ thingName: "upd", expectedVersion: 3 }));
    expect(await errorName(iot.send(new DescribeThingCommand({ thingName: "upd" })))).toBe("ResourceNotFoundException");
  });

  it("gives a re-created thing a new id and version 1; deleting a missing thing succeeds", async () => {
    const first = await iot.send(new CreateThingCommand({ thingName: "phoenix" }));
    await iot.send(new UpdateThingCommand({ thingName: "phoenix", attributePayload: { attributes: { x: "1" } } }));
    await iot.send(new DeleteThingCommand({ thingName: "phoenix" }));
    await iot.send(new DeleteThingCommand({ thingName: "phoenix" }));
    const second = await iot.send(new CreateThingCommand({ thingName: "phoenix" }));
    expect(second.thingId).not.toBe(first.thingId);
    expect((await iot.send(new DescribeThingCommand({ thingName: "phoenix" }))).version).toBe(1);
  });

  it("refuses invalid names and unknown things", async () => {
    expect(await errorName(iot.send(new CreateThingCommand({ thingName: "bad name!" })))).toBe("InvalidRequestException");
    expect(await errorName(iot.send(new UpdateThingCommand({ thingName: "nobody" })))).toBe("ResourceNotFoundException");
  });

  it("keeps regions apart", async () => {
    const eu = local.client("eu-west-1");
    await eu.send(new CreateThingCommand({ thingName: "eu-only" }));
    expect((await eu.send(new DescribeThingCommand({ thingName: "eu-only" }))).thingArn).toBe(
      "arn:aws:iot:eu-west-1:000000000000:thing/eu-only",
    );
    expect(await errorName(iot.send(new DescribeThingCommand({ thingName: "eu-only" })))).toBe("ResourceNotFoundException");
  });
});

describe("listing things", () => {
  const ap = (): IoTClient => local.client("ap-southeast-2");

  beforeAll(async () => {
    const client = ap();
    await client.send(new CreateThingTypeCommand({ thingTypeName: "meter" }));
    for (let index = 0; index < 7; index += 1) {
      await client.send(
        new CreateThingCommand({
          thingName: `dev-${index}`,
          thingTypeName: index % 2 === 0 ? "meter" : undefined,
          attributePayload: { attributes: { site: index < 4 ? "north-1" : "south-2" } },
        }),
      );
    }
  });

  it("pages with maxResults and nextToken", async () => {
    const client = ap();
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListThingsCommand({ maxResults: 3, nextToken }));
      names.push(...(page.things ?? []).map((thing) => thing.thingName ?? ""));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(names).toEqual(["dev-0", "dev-1", "dev-2", "dev-3", "dev-4", "dev-5", "dev-6"]);
    expect(await errorName(client.send(new ListThingsCommand({ nextToken: "garbage" })))).toBe("InvalidRequestException");
    expect(await errorName(client.send(new ListThingsCommand({ maxResults: 251 })))).toBe("InvalidRequestException");
  });

  it("filters by attribute, attribute prefix and thing type", async () => {
    const client = ap();
    const exact = await client.send(new ListThingsCommand({ attributeName: "site", attributeValue: "south-2" }));
    expect(exact.things?.map((thing) => thing.thingName)).toEqual(["dev-4", "dev-5", "dev-6"]);
    const prefix = await client.send(
      new ListThingsCommand({ attributeName: "site", attributeValue: "nor", usePrefixAttributeValue: true }),
    );
    expect(prefix.things).toHaveLength(4);
    const typed = await client.send(new ListThingsCommand({ thingTypeName: "meter" }));
    expect(typed.things?.map((thing) => thing.thingName)).toEqual(["dev-0", "dev-2", "dev-4", "dev-6"]);
    expect(typed.things?.[0]).toMatchObject({ thingTypeName: "meter", version: 1, attributes: { site: "north-1" } });
  });
});

describe("thing types", () => {
  it("creates, describes, updates, deprecates and deletes a thing type", async () => {
    local.setNow(1_700_000_100_000);
    const created = await iot.send(
      new CreateThingTypeCommand({
        thingTypeName: "lamp",
        thingTypeProperties: { thingTypeDescription: "a lamp", searchableAttributes: ["color"] },
      }),
    );
    expect(created.thingTypeArn).toBe("arn:aws:iot:us-east-1:000000000000:thingtype/lamp");
    const described = await iot.send(new DescribeThingTypeCommand({ thingTypeName: "lamp" }));
    expect(described.thingTypeId).toBe(created.thingTypeId);
    expect(described.thingTypeProperties).toMatchObject({ thingTypeDescription: "a lamp", searchableAttributes: ["color"] });
    expect(described.thingTypeMetadata?.deprecated).toBe(false);
    expect(described.thingTypeMetadata?.creationDate?.getTime()).toBe(1_700_000_100_000);

    await iot.send(new UpdateThingTypeCommand({ thingTypeName: "lamp", thingTypeProperties: { thingTypeDescription: "a bright lamp" } }));
    expect((await iot.send(new DescribeThingTypeCommand({ thingTypeName: "lamp" }))).thingTypeProperties?.thingTypeDescription).toBe(
      "a bright lamp",
    );

    expect(await errorName(iot.send(new DeleteThingTypeCommand({ thingTypeName: "lamp" })))).toBe("InvalidRequestException");
    local.setNow(1_700_000_200_000);
    await iot.send(new DeprecateThingTypeCommand({ thingTypeName: "lamp" }));
    const deprecated = await iot.send(new DescribeThingTypeCommand({ thingTypeName: "lamp" }));
    expect(deprecated.thingTypeMetadata?.deprecated).toBe(true);
    expect(deprecated.thingTypeMetadata?.deprecationDate?.getTime()).toBe(1_700_000_200_000);
    expect(await errorName(iot.send(new CreateThingCommand({ thingName: "lamp-1", thingTypeName: "lamp" })))).toBe(
      "InvalidRequestException",
    );

    await iot.send(new DeprecateThingTypeCommand({ thingTypeName: "lamp", undoDeprecate: true }));
    await iot.send(new CreateThingCommand({ thingName: "lamp-1", thingTypeName: "lamp" }));
    await iot.send(new DeprecateThingTypeCommand({ thingTypeName: "lamp" }));
    expect(await errorName(iot.send(new DeleteThingTypeCommand({ thingTypeName: "lamp" })))).toBe("InvalidRequestException");
    await iot.send(new UpdateThingCommand({ thingName: "lamp-1", removeThingType: true }));
    await iot.send(new DeleteThingTypeCommand({ thingTypeName: "lamp" }));
    expect(await errorName(iot.send(new DescribeThingTypeCommand({ thingTypeName: "lamp" })))).toBe("ResourceNotFoundException");
  });

  it("assigns, changes and validates a thing's type", async () => {
    await iot.send(new CreateThingTypeCommand({ thingTypeName: "gateway" }));
    expect(await errorName(iot.send(new CreateThingCommand({ thingName: "gw", thingTypeName: "nope" })))).toBe("ResourceNotFoundException");
    await iot.send(new CreateThingCommand({ thingName: "gw", thingTypeName: "gateway" }));
    expect((await iot.send(new DescribeThingCommand({ thingName: "gw" }))).thingTypeName).toBe("gateway");
    expect(await errorName(iot.send(new UpdateThingCommand({ thingName: "gw", thingTypeName: "gateway", removeThingType: true })))).toBe(
      "InvalidRequestException",
    );
    expect(
      await errorName(
        iot.send(new CreateThingTypeCommand({ thingTypeName: "gateway", thingTypeProperties: { thingTypeDescription: "x" } })),
      ),
    ).toBe("ResourceAlreadyExistsException");
    const listed = await iot.send(new ListThingTypesCommand({ thingTypeName: "gateway" }));
    expect(listed.thingTypes?.map((type) => type.thingTypeName)).toEqual(["gateway"]);
    expect(listed.thingTypes?.[0]?.thingTypeArn).toBe("arn:aws:iot:us-east-1:000000000000:thingtype/gateway");
  });
});
