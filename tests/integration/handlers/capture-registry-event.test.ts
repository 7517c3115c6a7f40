import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import { captured } from "../../support/captured-output";
import { captureEnvironment } from "../../support/function-environments";
import { createReplicaTable } from "../../support/replica-table";
import { loadSqsEvent } from "../../support/sample-events";

const aws = useLocalAws(["us-east-1", "eu-west-1"]);
const FUNCTION = "CaptureRegistryEventFunction";
const capture = useTemplateFunction(FUNCTION);
const TABLE = "IoTFleetRegistryReplica";
let dlqUrl: string;

/** The capture function deployed in a region (a fresh execution environment), invoked like Lambda. */
const captureIn = (region: string, tableName = TABLE, overrides: Record<string, string> = {}) => {
  const fn = capture.deploy(region, aws.local().url, { ...captureEnvironment(tableName, dlqUrl), ...overrides });
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const outcome = await fn.invoke(event);
    if (!outcome.ok) throw new Error(`${outcome.error.name}: ${outcome.error.message}`);
    return outcome.result as SQSBatchResponse;
  };
};

const item = async (entityKey: string, region = "us-east-1") =>
  (await aws.dynamodb().send(new GetItemCommand({ TableName: TABLE, Key: { EntityKey: { S: entityKey }, AWSRegion: { S: region } } })))
    .Item;

beforeAll(async () => {
  await createReplicaTable(aws.dynamodb("us-east-1"), TABLE);
  await aws.local().dynamodb.declareGlobalTable({ tableName: TABLE, regions: ["us-east-1", "eu-west-1"] });
  dlqUrl = (await aws.sqs().send(new CreateQueueCommand({ QueueName: "capture-dlq" }))).QueueUrl ?? "";
});

describe("capture-registry-event handler (events/ samples, local AWS)", () => {
  it("events/capture-thing-created.json: stores the thing with ThingName and AWSRegion", async () => {
    const response = await captureIn("us-east-1")(loadSqsEvent("capture-thing-created.json"));
    expect(response.batchItemFailures).toEqual([]);
    const stored = await item("thing#MyLightBulb5");
    expect(stored).toMatchObject({
      ThingName: { S: "MyLightBulb5" },
      AWSRegion: { S: "us-east-1" },
      Status: { S: "ACTIVE" },
      Version: { N: "1" },
    });
  });

  it("events/capture-every-registry-kind.json: one record per registry event kind", async () => {
    const response = await captureIn("us-east-1")(loadSqsEvent("capture-every-registry-kind.json"));
    expect(response.batchItemFailures).toEqual([]);
    for (const key of [
      "thing#MyLightBulb5",
      "thingType#LightBulb",
      "thingTypeAssociation#MyLightBulb5#LightBulb",
      "thingGroup#Kitchen",
      "thingGroupMembership#Kitchen#MyLightBulb5",
      "thingGroupHierarchy#House#Kitchen",
    ]) {
      expect(await item(key)).toBeDefined();
    }
  });

  it("events/capture-thing-deleted-then-late-update.json: the late update cannot resurrect the deleted thing", async () => {
    const response = await captureIn("us-east-1")(loadSqsEvent("capture-thing-deleted-then-late-update.json"));
    expect(response.batchItemFailures).toEqual([]);
    const stored = await item("thing#MyLightBulb5");
    expect(stored?.["Status"]).toEqual({ S: "DELETED" });
    expect(Number(stored?.["ExpiresAt"]?.N)).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);
  });

  it("events/capture-shadow-documents.json: classic and named shadows as records of their own, a deleted one as a tombstone", async () => {
    const response = await captureIn("us-east-1")(loadSqsEvent("capture-shadow-documents.json"));
    expect(response.batchItemFailures).toEqual([]);
    const classic = await item("shadow#MyLightBulb5");
    expect(classic).toMatchObject({
      ShadowThingName: { S: "MyLightBulb5" },
      Desired: { M: { color: { S: "red" } } },
      Reported: { M: { color: { S: "red" }, wattage: { N: "60" } } },
      ShadowVersion: { N: "2" },
      Status: { S: "ACTIVE" },
    });
    expect(classic?.["ShadowName"]).toBeUndefined();
    expect(classic?.["ThingName"]).toBeUndefined();
    const named = await item("shadow#MyLightBulb5#config");
    expect(named?.["Status"]).toEqual({ S: "DELETED" });
    expect(named?.["Desired"]).toBeUndefined();
    expect(named?.["OrderVersion"]).toEqual({ N: "7" });
    // A second delivery of the whole batch is a no-op.
    expect((await captureIn("us-east-1")(loadSqsEvent("capture-shadow-documents.json"))).batchItemFailures).toEqual([]);
    expect(await item("shadow#MyLightBulb5")).toEqual(classic);
  });

  it("events/capture-batch-with-poison.json: good records stored, each bad one dead-lettered once with its reason, no retries", async () => {
    const response = await captureIn("us-east-1")(loadSqsEvent("capture-batch-with-poison.json"));
    expect(response.batchItemFailures).toEqual([]);
    expect(await item("thing#GoodBulb1")).toBeDefined();
    expect(await item("thing#GoodBulb2")).toBeDefined();
    const { Messages = [] } = await aws
      .sqs()
      .send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }));
    const reasons = Messages.map((message) => message.MessageAttributes?.["failureReason"]?.StringValue);
    expect(reasons).toHaveLength(4);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'InvalidEvent: eventType: unknown registry event type "THING_SHAPE_EVENT"',
        expect.stringMatching(/^InvalidEvent: body is not JSON/),
        "InvalidEvent: thingId: is missing",
        'InvalidEvent: versionNumber: must be a non-negative integer, got "7"',
      ]),
    );
    expect(Messages.map((message) => message.Body)).toContain("this is not json");
  });

  it("reports every record as a batch item failure when the table is unreachable, so SQS retries them", async () => {
    const event = loadSqsEvent("capture-every-registry-kind.json");
    const response = await captureIn("us-east-1", "TableThatDoesNotExist")(event);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      event.Records.map((record) => record.messageId).sort(),
    );
  });

  it("aggregates regions: the public sample's scan finds MyLightBulb5 (us-east-1) and MyLightBulb6 (eu-west-1) in either region", async () => {
    const created = (name: string, eventId: string) => {
      const event = loadSqsEvent("capture-thing-created.json");
      const record = event.Records[0]!;
      // A new thingId: MyLightBulb5 was deleted above, so this is a re-created thing (a new incarnation).
      const body = { ...JSON.parse(record.body), thingName: name, thingId: `${name}-id`, eventId, timestamp: Date.now() };
      return { Records: [{ ...record, body: JSON.stringify(body) }] };
    };
    await captureIn("us-east-1")(created("MyLightBulb5", "sample-5"));
    await captureIn("eu-west-1")(created("MyLightBulb6", "sample-6"));
    await aws.local().dynamodb.whenReplicated(10_000);
    for (const region of ["us-east-1", "eu-west-1"]) {
      const { Items = [] } = await aws.dynamodb(region).send(
        new ScanCommand({
          TableName: TABLE,
          // Exactly the public sample's scan: no filter on entity type or status.
          ProjectionExpression: "ThingName, AWSRegion",
          FilterExpression: "begins_with(ThingName, :b)",
          ExpressionAttributeValues: { ":b": { S: "MyLightBulb" } },
        }),
      );
      expect(Items.map((i) => `${i["ThingName"]?.S}@${i["AWSRegion"]?.S}`).sort()).toEqual([
        "MyLightBulb5@us-east-1",
        "MyLightBulb6@eu-west-1",
      ]);
    }
  });

  it("runs with Powertools as on Lambda: request id and cold start in every log line, EMF outcome counts, and no X-Ray noise", async () => {
    const record = loadSqsEvent("capture-thing-created.json").Records[0]!;
    const body = JSON.stringify({ ...JSON.parse(record.body), thingName: "ObservedBulb", thingId: "observed-id", eventId: "observed-1" });
    const event = {
      Records: [
        { ...record, messageId: "observed-stored", body },
        { ...record, messageId: "observed-duplicate", body },
        { ...record, messageId: "observed-poison", body: "not json" },
      ],
    };
    // Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE; Powertools reports cold starts only when it is on-demand.
    const observed = { POWERTOOLS_LOG_LEVEL: "INFO", POWERTOOLS_METRICS_DISABLED: "false", AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand" };
    const output = await captured(() => captureIn("us-east-1", TABLE, observed)(event));
    const logs = output.filter((line) => line["level"] !== undefined);
    expect(logs.map((line) => line["message"]).sort()).toEqual([
      "record dead-lettered",
      "record stale: the target already holds it or something newer",
      "record stored",
    ]);
    for (const line of logs) {
      expect(line).toMatchObject({ service: "registry-capture", cold_start: true, function_name: `${FUNCTION}-us-east-1` });
      expect(line["function_request_id"]).toEqual(expect.any(String));
    }
    const emf = output.find((line) => "RecordsStored" in line);
    expect(emf).toMatchObject({ service: "registry-capture", RecordsStored: 1, RecordsStale: 1, RecordsDeadLettered: 1 });
    expect(emf?.["RecordsRetried"]).toBe(0);
    expect(emf?.["_aws"]).toMatchObject({ CloudWatchMetrics: [{ Namespace: "IoTFleetReplicator", Dimensions: [["service"]] }] });
    expect(output.filter((line) => /x-?ray|segment/i.test(JSON.stringify(line)))).toEqual([]);
  });
});
