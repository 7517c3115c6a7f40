import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateThingCommand, DeleteThingCommand, UpdateEventConfigurationsCommand, UpdateThingCommand } from "@aws-sdk/client-iot";
import { DeleteThingShadowCommand, IoTDataPlaneClient, UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { replicaTableName, thingsInReplica } from "local-cloud";
import { eventually, useLocalCloud } from "local-cloud/testing";
import mqtt from "mqtt";

// Capture only: disaster recovery (the applier in the secondaries) has its own end-to-end test.
const local = useLocalCloud({ parameterOverrides: { PrimaryRegion: "" } });
const REGIONS = ["us-east-1", "eu-west-1", "us-west-2"];

const replicaItem = async (readRegion: string, entityKey: string, sourceRegion: string) =>
  (
    await local
      .cloud()
      .clients(readRegion)
      .dynamodb.send(
        new GetItemCommand({
          TableName: replicaTableName(local.cloud()),
          Key: { EntityKey: { S: entityKey }, AWSRegion: { S: sourceRegion } },
        }),
      )
  ).Item;

const thingRecord = (readRegion: string, thingName: string, sourceRegion: string) =>
  replicaItem(readRegion, `thing#${thingName}`, sourceRegion);

beforeAll(async () => {
  for (const region of REGIONS) {
    await local
      .cloud()
      .clients(region)
      .iot.send(
        new UpdateEventConfigurationsCommand({ eventConfigurations: { THING: { Enabled: true }, THING_GROUP: { Enabled: true } } }),
      );
  }
});

describe("registry capture on the local cloud (template.yaml deployed into every samconfig region)", () => {
  it("deploys one region per config-env, each with the capture function", () => {
    expect([...local.cloud().regions.keys()]).toEqual(REGIONS);
    for (const region of REGIONS)
      expect([...(local.cloud().regions.get(region)?.functions.keys() ?? [])]).toEqual([
        "CaptureRegistryEventFunction",
        "SweepRegistryFunction",
        "IngestMessagesFunction",
        "MessageApiFunction",
        "HealthCheckFunction",
      ]);
  });

  it("registry change -> broker -> topic rule -> queue -> capture -> global table -> every replica region", async () => {
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${local.cloud().aws.hub.portFor("us-east-1")}`);
    const seen: string[] = [];
    watcher.on("message", (topic) => seen.push(topic));
    await watcher.subscribeAsync("$aws/events/#");
    await local
      .cloud()
      .clients("us-east-1")
      .iot.send(new CreateThingCommand({ thingName: "E2eBulb1", attributePayload: { attributes: { color: "red" } } }));
    await local
      .cloud()
      .clients("eu-west-1")
      .iot.send(new CreateThingCommand({ thingName: "E2eBulb2" }));
    for (const region of REGIONS) {
      await eventually(
        () => thingsInReplica(local.cloud(), region, "E2eBulb"),
        (things) => things.length === 2,
      );
      expect(await thingsInReplica(local.cloud(), region, "E2eBulb")).toEqual(["E2eBulb1@us-east-1", "E2eBulb2@eu-west-1"]);
    }
    expect(seen).toContain("$aws/events/thing/E2eBulb1/created");
    await watcher.endAsync();
  });

  it("keeps the newest version and turns a delete into a tombstone in every region", async () => {
    const iot = local.cloud().clients("us-east-1").iot;
    await iot.send(new CreateThingCommand({ thingName: "E2eBulb3" }));
    await iot.send(new UpdateThingCommand({ thingName: "E2eBulb3", attributePayload: { attributes: { color: "blue" } } }));
    for (const region of REGIONS) {
      const item = await eventually(
        () => thingRecord(region, "E2eBulb3", "us-east-1"),
        (found) => found?.["Version"]?.N === "2",
      );
      expect(item?.["Attributes"]).toEqual({ M: { color: { S: "blue" } } });
    }
    await iot.send(new DeleteThingCommand({ thingName: "E2eBulb3" }));
    for (const region of REGIONS) {
      const tombstone = await eventually(
        () => thingRecord(region, "E2eBulb3", "us-east-1"),
        (found) => found?.["Status"]?.S === "DELETED",
      );
      expect(tombstone?.["ExpiresAt"]?.N).toBeDefined();
      expect(tombstone?.["ThingName"]).toBeUndefined();
    }
  });

  it("shadow update -> /update/documents -> shadow rule -> capture -> replica: classic and named, a delete's tombstone, a re-create", async () => {
    const shadows = new IoTDataPlaneClient({
      region: "us-east-1",
      endpoint: local.cloud().aws.url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const update = (state: object, shadowName?: string) =>
      shadows.send(
        new UpdateThingShadowCommand({ thingName: "E2eLamp", shadowName, payload: new TextEncoder().encode(JSON.stringify({ state })) }),
      );
    await local
      .cloud()
      .clients("us-east-1")
      .iot.send(new CreateThingCommand({ thingName: "E2eLamp" }));
    await update({ desired: { color: "red" } });
    await update({ reported: { color: "red" } });
    await update({ desired: { firmware: "2.1.0" } }, "config");
    const shadowIn = (key: string, expected: (item: Awaited<ReturnType<typeof replicaItem>>) => boolean) =>
      eventually(() => replicaItem("eu-west-1", key, "us-east-1"), expected);

    const classic = await shadowIn("shadow#E2eLamp", (item) => item?.["ShadowVersion"]?.N === "2");
    expect(classic).toMatchObject({
      ShadowThingName: { S: "E2eLamp" },
      Desired: { M: { color: { S: "red" } } },
      Reported: { M: { color: { S: "red" } } },
      Status: { S: "ACTIVE" },
    });
    expect(classic?.["ThingName"]).toBeUndefined();
    expect(await shadowIn("shadow#E2eLamp#config", (item) => item?.["ShadowVersion"]?.N === "1")).toMatchObject({
      ShadowName: { S: "config" },
      Desired: { M: { firmware: { S: "2.1.0" } } },
    });

    await shadows.send(new DeleteThingShadowCommand({ thingName: "E2eLamp", shadowName: "config" }));
    const tombstone = await shadowIn("shadow#E2eLamp#config", (item) => item?.["Status"]?.S === "DELETED");
    expect(tombstone?.["Desired"]).toBeUndefined();
    expect(tombstone?.["ExpiresAt"]?.N).toBeDefined();

    // Re-created within 48 hours: the version follows the deleted document's (1 -> 2).
    await update({ desired: { firmware: "2.2.0" } }, "config");
    const recreated = await shadowIn("shadow#E2eLamp#config", (item) => item?.["Status"]?.S === "ACTIVE");
    expect(recreated).toMatchObject({ ShadowVersion: { N: "2" }, Desired: { M: { firmware: { S: "2.2.0" } } } });
    expect(recreated?.["ExpiresAt"]).toBeUndefined();
    shadows.destroy();
  });

  it("dead-letters an invalid message on the capture queue at once, with its reason, and keeps capturing", async () => {
    const sqs = local.cloud().clients("us-east-1").sqs;
    const deployed = local.cloud().regions.get("us-east-1");
    const queueUrl = deployed?.resources.get("RegistryEventsQueue")?.physicalId as string;
    const dlqUrl = deployed?.resources.get("CaptureDeadLetterQueue")?.physicalId as string;
    expect(
      (
        await sqs.send(
          new GetQueueUrlCommand({ QueueName: String(deployed?.resources.get("RegistryEventsQueue")?.attributes["QueueName"]) }),
        )
      ).QueueUrl,
    ).toBe(queueUrl);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"eventType":"THING_EVENT","eventId":"bad"}' }));
    const dead = await eventually(
      async () =>
        (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }))).Messages ??
        [],
      (messages) => messages.length > 0,
    );
    expect(dead[0]?.MessageAttributes?.["failureReason"]?.StringValue).toBe("InvalidEvent: timestamp: is missing");
    expect(dead[0]?.Attributes?.["ApproximateReceiveCount"] ?? "1").toBe("1");
    await local
      .cloud()
      .clients("us-east-1")
      .iot.send(new CreateThingCommand({ thingName: "E2eBulb4" }));
    await eventually(
      () => thingRecord("us-west-2", "E2eBulb4", "us-east-1"),
      (found) => found !== undefined,
    );
  });

  it("answers Lambda's Invoke API for deployed functions (what `npm run invoke` and `aws lambda invoke` use)", async () => {
    const invoke = (name: string, body: string) =>
      fetch(`${local.cloud().aws.url}/2015-03-31/functions/${name}/invocations`, {
        method: "POST",
        headers: {
          authorization: "AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=x",
        },
        body,
      });
    const ok = await invoke(
      "CaptureRegistryEventFunction",
      readFileSync(join(__dirname, "..", "..", "events", "capture-thing-created.json"), "utf8"),
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ batchItemFailures: [] });
    const failed = await invoke("CaptureRegistryEventFunction", JSON.stringify({ Records: "not a list" }));
    expect(failed.headers.get("x-amz-function-error")).toBe("Unhandled");
    expect((await invoke("NoSuchFunction", "{}")).status).toBe(404);
  });
});
