import { CreateThingCommand, IoTClient, UpdateThingCommand } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient, UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { LOCAL_CREDENTIALS, useLocalAws } from "local-cloud/testing";
import { createDynamoDbReplicaStore } from "../../../src/adapters/dynamodb-replica-store";
import { Origin, Rank } from "../../../src/domain/registry/ordering";
import type { ReplicaRecord } from "../../../src/domain/registry/replica-record";
import { runOperatorCommand } from "../../support/operator-command";
import { createReplicaTable } from "../../support/replica-table";

const aws = useLocalAws(["us-east-1", "us-west-2"]);
const TABLE = "VerifyCli";

const record = (sourceRegion: string, entityName: string, fields: Record<string, unknown>, timestamp: number): ReplicaRecord => ({
  entityType: "thing",
  entityName,
  sourceRegion,
  status: "ACTIVE",
  stamp: { origin: Origin.Event, rank: Rank.Change, timestamp, eventId: `${sourceRegion}-${entityName}-${timestamp}` },
  capturedAt: timestamp,
  fields: { ThingName: entityName, ThingId: `${sourceRegion}-id`, ThingTypeName: null, Version: 1, ...fields },
});

const verify = (...extra: string[]) =>
  runOperatorCommand("verify", [
    "--primary",
    "us-east-1",
    "--secondary",
    "us-west-2",
    "--endpoint-url",
    aws.local().url,
    "--table",
    TABLE,
    ...extra,
  ]);

beforeAll(async () => {
  await createReplicaTable(aws.dynamodb("us-west-2"), TABLE);
});

describe("npm run verify (from the replica table)", () => {
  it("exits 0 when every primary record has a matching secondary record, ids and versions aside", async () => {
    const store = createDynamoDbReplicaStore(aws.dynamodb("us-west-2"), TABLE);
    for (const region of ["us-east-1", "us-west-2"])
      (await store.putIfNewer(record(region, "lamp-1", { Attributes: { color: "red" } }, 1000)))._unsafeUnwrap();
    const outcome = await verify();
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^thing\s+1\s+1\s+0\s+0\s+0$/m);
    expect(outcome.stdout.trim().split("\n").at(-1)).toBe("IN SYNC: 1 entities match between us-east-1 and us-west-2");
  }, 60_000);

  it("exits 1 and prints a field-level diff of every drifted entity, or the report as JSON", async () => {
    const store = createDynamoDbReplicaStore(aws.dynamodb("us-west-2"), TABLE);
    (await store.putIfNewer(record("us-east-1", "lamp-1", { Attributes: { color: "green" } }, 2000)))._unsafeUnwrap();
    (await store.putIfNewer(record("us-east-1", "lamp-2", {}, 2000)))._unsafeUnwrap();
    const outcome = await verify();
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('  differs: thing#lamp-1\n      Attributes.color: "green" in us-east-1, "red" in us-west-2');
    expect(outcome.stdout).toContain("  missing in us-west-2: thing#lamp-2");
    expect(outcome.stdout.trim().split("\n").at(-1)).toBe("DRIFT: 2 of 2 entities differ between us-east-1 and us-west-2");
    const json = await verify("--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      inSync: false,
      compared: 2,
      drifts: [
        { entityName: "lamp-1", drift: "differs" },
        { entityName: "lamp-2", drift: "missing" },
      ],
    });
  }, 60_000);

  it("refuses bad arguments with one line and exit 2", async () => {
    const outcome = await runOperatorCommand("verify", ["--primary", "us-east-1", "--secondary", "us-east-1"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.split("\n")[0]).toBe("verify: --primary and --secondary must differ, both are us-east-1");
  }, 60_000);
});

describe("npm run verify --live (from both registries and shadows)", () => {
  const clients = (region: string) => ({
    iot: new IoTClient({ region, endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS }),
    data: new IoTDataPlaneClient({ region, endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS }),
  });

  it("exits 0 when both regions hold the same things and shadows, then 1 naming a differing attribute and shadow field", async () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      const { iot, data } = clients(region);
      await iot.send(new CreateThingCommand({ thingName: "pump-1", attributePayload: { attributes: { site: "north" } } }));
      await data.send(
        new UpdateThingShadowCommand({ thingName: "pump-1", payload: Buffer.from(JSON.stringify({ state: { desired: { on: true } } })) }),
      );
      await data.send(
        new UpdateThingShadowCommand({
          thingName: "pump-1",
          shadowName: "config",
          payload: Buffer.from(JSON.stringify({ state: { reported: { rate: 3 } } })),
        }),
      );
    }
    const same = await verify("--live");
    expect(same.stderr).toBe("");
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^shadow\s+2\s+2\s+0\s+0\s+0$/m);

    const { iot, data } = clients("us-west-2");
    await iot.send(new UpdateThingCommand({ thingName: "pump-1", attributePayload: { attributes: { site: "south" } } }));
    await data.send(
      new UpdateThingShadowCommand({
        thingName: "pump-1",
        shadowName: "config",
        payload: Buffer.from(JSON.stringify({ state: { reported: { rate: 4 } } })),
      }),
    );
    const drifted = await verify("--live");
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain('      Attributes.site: "north" in us-east-1, "south" in us-west-2');
    expect(drifted.stdout).toContain("  differs: shadow#pump-1#config\n      Reported.rate: 3 in us-east-1, 4 in us-west-2");
  }, 60_000);
});
