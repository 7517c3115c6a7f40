import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  IoTClient,
  UpdateThingCommand,
} from "@aws-sdk/client-iot";
import { LOCAL_CREDENTIALS, useLocalAws } from "local-cloud/testing";
import { ok } from "neverthrow";
import { createDynamoDbReplicaStore } from "../../../src/adapters/dynamodb-replica-store";
import { createIotRegistrySnapshotReader } from "../../../src/adapters/iot-registry-snapshot-reader";
import { type BackfillProgress, backfillRegistry } from "../../../src/domain/registry/backfill-registry";
import { parseRegistryEvent } from "../../../src/domain/registry/parse-registry-event";
import { toReplicaRecord } from "../../../src/domain/registry/replica-record";
import { createReplicaTable } from "../../support/replica-table";

const aws = useLocalAws(["eu-west-1"]);
const REGION = "eu-west-1";
const context = { sourceRegion: REGION, now: Date.now(), tombstoneTtlSeconds: 86_400 };
let iot: IoTClient;

const keysIn = async (table: string): Promise<string[]> =>
  ((await aws.dynamodb(REGION).send(new ScanCommand({ TableName: table }))).Items ?? []).map((item) => String(item["EntityKey"]?.S)).sort();

beforeAll(async () => {
  iot = new IoTClient({ region: REGION, endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS });
  await iot.send(new CreateThingTypeCommand({ thingTypeName: "LightBulb", thingTypeProperties: { searchableAttributes: ["wattage"] } }));
  for (const name of ["bulb-1", "bulb-2", "bulb-3", "bulb-4", "bulb-5"]) {
    await iot.send(
      new CreateThingCommand({
        thingName: name,
        thingTypeName: name === "bulb-1" ? "LightBulb" : undefined,
        attributePayload: { attributes: { n: name } },
      }),
    );
  }
  await iot.send(new UpdateThingCommand({ thingName: "bulb-2", attributePayload: { attributes: { color: "red" }, merge: true } }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: "House" }));
  await iot.send(
    new CreateThingGroupCommand({
      thingGroupName: "Kitchen",
      parentGroupName: "House",
      thingGroupProperties: { thingGroupDescription: "kitchen" },
    }),
  );
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: "Kitchen", thingName: "bulb-1" }));
});
afterAll(() => iot.destroy());

describe("registry backfill (local IoT registry -> DynamoDB Local replica)", () => {
  it("copies things with versions, types, associations, groups, hierarchy and memberships, page by page", async () => {
    await createReplicaTable(aws.dynamodb(REGION), "BackfillFull");
    const pages: BackfillProgress[] = [];
    const result = await backfillRegistry({
      reader: createIotRegistrySnapshotReader(iot, 2),
      store: createDynamoDbReplicaStore(aws.dynamodb(REGION), "BackfillFull"),
      context,
      snapshotStartedAt: 1_000,
      onPage: (progress) => ok(void pages.push(progress)),
    });
    expect(result._unsafeUnwrap()).toMatchObject({ total: { stored: 11, stale: 0, rejected: 0 }, rejected: [], resumeToken: undefined });
    expect(pages.length).toBeGreaterThan(3);
    expect(await keysIn("BackfillFull")).toEqual([
      "thing#bulb-1",
      "thing#bulb-2",
      "thing#bulb-3",
      "thing#bulb-4",
      "thing#bulb-5",
      "thingGroup#House",
      "thingGroup#Kitchen",
      "thingGroupHierarchy#House#Kitchen",
      "thingGroupMembership#Kitchen#bulb-1",
      "thingType#LightBulb",
      "thingTypeAssociation#bulb-1#LightBulb",
    ]);
    const bulb2 = (
      await aws
        .dynamodb(REGION)
        .send(new GetItemCommand({ TableName: "BackfillFull", Key: { EntityKey: { S: "thing#bulb-2" }, AWSRegion: { S: REGION } } }))
    ).Item;
    expect(bulb2?.["Version"]).toEqual({ N: "2" });
    expect(bulb2?.["Attributes"]).toEqual({ M: { n: { S: "bulb-2" }, color: { S: "red" } } });
  });

  it("resumes from a saved token and writes only what comes after it", async () => {
    await createReplicaTable(aws.dynamodb(REGION), "BackfillResume");
    const tokens: (string | undefined)[] = [];
    await backfillRegistry({
      reader: createIotRegistrySnapshotReader(iot, 2),
      store: createDynamoDbReplicaStore(aws.dynamodb(REGION), "BackfillFull"),
      context,
      snapshotStartedAt: 2_000,
      onPage: (progress) => ok(void tokens.push(progress.resumeToken)),
    });
    const afterThings = tokens.find(
      (token) => token !== undefined && JSON.parse(Buffer.from(token, "base64url").toString()).phase === "thingGroups",
    );
    const resumed = await backfillRegistry({
      reader: createIotRegistrySnapshotReader(iot, 2),
      store: createDynamoDbReplicaStore(aws.dynamodb(REGION), "BackfillResume"),
      context,
      snapshotStartedAt: 2_000,
      ...(afterThings ? { resumeToken: afterThings } : {}),
    });
    expect(resumed.isOk()).toBe(true);
    expect((await keysIn("BackfillResume")).every((key) => key.startsWith("thingGroup"))).toBe(true);
  });

  it("never overwrites a record that live capture wrote, however late the snapshot lands", async () => {
    await createReplicaTable(aws.dynamodb(REGION), "BackfillLive");
    const store = createDynamoDbReplicaStore(aws.dynamodb(REGION), "BackfillLive");
    const live = parseRegistryEvent({
      eventType: "THING_EVENT",
      eventId: "live-1",
      timestamp: 5,
      operation: "DELETED",
      thingId: "old-id",
      thingName: "bulb-3",
      versionNumber: 1,
      thingTypeName: null,
      attributes: {},
    })
      .andThen((event) => toReplicaRecord(event, context))
      ._unsafeUnwrap();
    await store.putIfNewer(live);
    const result = await backfillRegistry({
      reader: createIotRegistrySnapshotReader(iot, 50),
      store,
      context,
      snapshotStartedAt: Date.now(),
    });
    expect(result._unsafeUnwrap().total.stale).toBe(1);
    const bulb3 = (
      await aws
        .dynamodb(REGION)
        .send(new GetItemCommand({ TableName: "BackfillLive", Key: { EntityKey: { S: "thing#bulb-3" }, AWSRegion: { S: REGION } } }))
    ).Item;
    expect(bulb3?.["Status"]).toEqual({ S: "DELETED" });
  });
});
