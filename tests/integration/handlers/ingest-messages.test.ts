import { CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import mqtt from "mqtt";
import { ingestEnvironment } from "../../support/function-environments";
import { createMessagesTable, storedMessages } from "../../support/messages-table";
import { loadSqsEvent } from "../../support/sample-events";

const aws = useLocalAws(["us-east-1"]);
const ingest = useTemplateFunction("IngestMessagesFunction");
const TABLE = "IoTMessages";
let dlqUrl: string;

/** The ingestion function in a fresh execution environment, invoked like Lambda with an SQS batch. */
const ingestWith = (overrides: Record<string, string> = {}) => {
  const fn = ingest.deploy("us-east-1", aws.local().url, { ...ingestEnvironment(TABLE, dlqUrl), ...overrides });
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const outcome = await fn.invoke(event);
    if (!outcome.ok) throw new Error(`${outcome.error.name}: ${outcome.error.message}`);
    return outcome.result as SQSBatchResponse;
  };
};

const deadLetters = async () => {
  const { Messages = [] } = await aws
    .sqs()
    .send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], WaitTimeSeconds: 1 }));
  return Messages;
};

beforeAll(async () => {
  await createMessagesTable(aws.dynamodb(), TABLE);
  dlqUrl = (await aws.sqs().send(new CreateQueueCommand({ QueueName: "messages-dlq" }))).QueueUrl ?? "";
});

describe("ingest-messages handler (events/ samples, local AWS)", () => {
  it("events/ingest-sample-message.json: stores the sample's message under the sample's key layout", async () => {
    const response = await ingestWith()(loadSqsEvent("ingest-sample-message.json"));
    expect(response.batchItemFailures).toEqual([]);
    expect(await storedMessages(aws.dynamodb(), TABLE, "testThing")).toEqual([
      {
        uuid: "testThing",
        messageId: "0000001564669331-1564669332364-9d3c1a2e-0000-4000-8000-000000000001",
        body: { epochTime: "1564669331", tempSensor1F: "72", tempSensor2F: "70", thingName: "testThing" },
      },
    ]);
  });

  it("events/ingest-batch-with-poison.json: 8 stored, the 2 poison messages dead-lettered once with their reason, no retries", async () => {
    const response = await ingestWith()(loadSqsEvent("ingest-batch-with-poison.json"));
    expect(response.batchItemFailures).toEqual([]);
    const stored = (
      await Promise.all(["batchThing0", "batchThing1", "batchThing2"].map((uuid) => storedMessages(aws.dynamodb(), TABLE, uuid)))
    ).flat();
    expect(stored).toHaveLength(8);
    const dead = await deadLetters();
    expect(dead.map((message) => message.MessageAttributes?.["failureReason"]?.StringValue).sort()).toEqual([
      expect.stringMatching(/^InvalidEvent: body is not JSON/),
      "InvalidEvent: thingName: is missing",
    ]);
    expect(dead.map((message) => message.Body)).toContain("this is not json");
  });

  it("uses the configured keys and retention: uuidKey/messageIdKey from the environment, expiresAt from MESSAGE_RETENTION_DAYS", async () => {
    const event = loadSqsEvent("ingest-sample-message.json");
    const record = event.Records[0]!;
    const body = JSON.stringify({ deviceId: "imei-301234123412341", seq: 42, payload: { level: 3 } });
    const response = await ingestWith({ UUID_KEY: "deviceId", MESSAGE_ID_KEY: "seq", MESSAGE_RETENTION_DAYS: "7" })({
      Records: [{ ...record, body }],
    });
    expect(response.batchItemFailures).toEqual([]);
    const [item] = await storedMessages(aws.dynamodb(), TABLE, "imei-301234123412341");
    expect(item?.["messageId"]).toBe(`0000000000000042-1564669332364-${record.messageId}`);
    expect(Number(item?.["expiresAt"])).toBeGreaterThan(Date.now() / 1000 + 6.9 * 86_400);
  });

  it("publishes notification/{uuid} with the new message id when PUBLISH_NOTIFICATIONS is true", async () => {
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${aws.local().hub.portFor("us-east-1")}`);
    const received = new Promise<string>((resolve) => watcher.on("message", (_topic, payload) => resolve(payload.toString())));
    await watcher.subscribeAsync("notification/testThing", { qos: 1 });
    const response = await ingestWith({ PUBLISH_NOTIFICATIONS: "true" })(loadSqsEvent("ingest-sample-message.json"));
    expect(response.batchItemFailures).toEqual([]);
    expect(JSON.parse(await received)).toEqual({
      messageId: "0000001564669331-1564669332364-9d3c1a2e-0000-4000-8000-000000000001",
      uuid: "testThing",
    });
    await watcher.endAsync();
  });

  it("reports every valid record as a batch item failure when the table is unreachable, and still dead-letters the poison ones", async () => {
    const event = loadSqsEvent("ingest-batch-with-poison.json");
    const response = await ingestWith({ MESSAGES_TABLE_NAME: "TableThatDoesNotExist" })(event);
    const poison = new Set([event.Records[3]!.messageId, event.Records[7]!.messageId]);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      event.Records.map((record) => record.messageId)
        .filter((id) => !poison.has(id))
        .sort(),
    );
    expect(await deadLetters()).toHaveLength(2);
  });

  it("writes the public sample's unpadded ids with MESSAGE_ID_FORMAT=sample, for tables that already hold them", async () => {
    const event = loadSqsEvent("ingest-sample-message.json");
    const record = event.Records[0]!;
    const body = JSON.stringify({ ...JSON.parse(record.body), thingName: "sampleFormatThing" });
    const response = await ingestWith({ MESSAGE_ID_FORMAT: "sample" })({ Records: [{ ...record, body }] });
    expect(response.batchItemFailures).toEqual([]);
    const [item] = await storedMessages(aws.dynamodb(), TABLE, "sampleFormatThing");
    expect(item?.["messageId"]).toBe(`1564669331-1564669332364-${record.messageId}`);
  });
});
