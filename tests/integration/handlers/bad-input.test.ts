import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, DeleteMessageCommand, type Message, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import mqtt, { type MqttClient } from "mqtt";
import { captured } from "../../support/captured-output";
import { captureEnvironment, ingestEnvironment, messageApiEnvironment } from "../../support/function-environments";
import { createMessagesTable, storedMessages } from "../../support/messages-table";
import { createReplicaTable } from "../../support/replica-table";
import { loadSqsEvent } from "../../support/sample-events";

/**
 * The bad-input corpus (`tests/bad-input/*.json`, one file per function): every malformed input is
 * refused with a reason that names what is wrong, goes to the dead-letter queue (or gets an error
 * response), and never fails the batch or its neighbours: each one is sent between two good records,
 * which must be stored.
 */
interface SqsCase {
  readonly name: string;
  readonly body: string;
  readonly reason: string;
}
interface ApiCase {
  readonly name: string;
  readonly event: unknown;
  readonly respondOn: string | null;
  readonly reason: string;
}

const corpus = <T>(file: string): T[] =>
  (JSON.parse(readFileSync(join(__dirname, "..", "..", "bad-input", file), "utf8")) as { cases: T[] }).cases;
/** `<<c*N>>` stands for the character c repeated N times (keeps huge inputs out of the repository). */
const expand = (body: string): string =>
  body.replace(/<<([\s\S])\*(\d+)>>/g, (_, char: string, times: string) => char.repeat(Number(times)));

const aws = useLocalAws(["us-east-1"]);
const capture = useTemplateFunction("CaptureRegistryEventFunction");
const ingest = useTemplateFunction("IngestMessagesFunction");
const api = useTemplateFunction("MessageApiFunction");
const REPLICA = "IoTFleetRegistryReplica";
const MESSAGES = "IoTMessages";
/** The API's refusals without a usable token are warnings; the test reads them. */
const WARNINGS = { POWERTOOLS_LOG_LEVEL: "WARN" };
const queues = { capture: "", ingest: "" };

beforeAll(async () => {
  await createReplicaTable(aws.dynamodb(), REPLICA);
  await createMessagesTable(aws.dynamodb(), MESSAGES);
  for (const name of ["capture", "ingest"] as const) {
    // 1 MiB, as template.yaml declares its dead-letter queues: a refused message fits with its failureReason.
    const Attributes = { MaximumMessageSize: "1048576" };
    queues[name] = (await aws.sqs().send(new CreateQueueCommand({ QueueName: `${name}-bad-input-dlq`, Attributes }))).QueueUrl ?? "";
  }
});

const sample = loadSqsEvent("capture-thing-created.json").Records[0]!;
const record = (messageId: string, body: string): SQSRecord => ({ ...sample, messageId, body });

/** Invokes a deployed SQS function with one batch, as its event source mapping would. */
const invokeBatch = async (fn: ReturnType<typeof capture.deploy>, records: SQSRecord[]): Promise<SQSBatchResponse> => {
  const outcome = await fn.invoke({ Records: records } satisfies SQSEvent);
  if (!outcome.ok) throw new Error(`the function failed the whole batch: ${outcome.error.name}: ${outcome.error.message}`);
  return outcome.result as SQSBatchResponse;
};

/** Takes everything out of a dead-letter queue. */
const drain = async (queueUrl: string): Promise<Message[]> => {
  const taken: Message[] = [];
  for (;;) {
    const { Messages = [] } = await aws
      .sqs()
      .send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return taken;
    for (const message of Messages) {
      taken.push(message);
      await aws.sqs().send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
};

const expectOneDeadLetter = (dead: Message[], body: string, reason: string): void => {
  expect(dead).toHaveLength(1);
  expect(dead[0]?.Body).toBe(body.length > 0 ? body : "(empty message body)");
  const failureReason = dead[0]?.MessageAttributes?.["failureReason"]?.StringValue ?? "";
  // `InvalidEvent: ...` for input that can never be read, `DependencyRejected: ...` for what AWS refused for good.
  const [, kind, detail] = /^(\w+): ([\s\S]*)$/.exec(failureReason) ?? [];
  expect({ kind, detail }).toEqual({
    kind: expect.stringMatching(/^(InvalidEvent|DependencyRejected)$/),
    detail: expect.stringMatching(new RegExp(reason)),
  });
};

describe("capture-registry-event: the bad-input corpus", () => {
  const cases = corpus<SqsCase>("capture-registry-event.json");
  let fn: ReturnType<typeof capture.deploy>;
  beforeAll(() => {
    fn = capture.deploy("us-east-1", aws.local().url, { ...captureEnvironment(REPLICA, queues.capture), ...WARNINGS });
  });
  const goodThing = (thingName: string): string =>
    JSON.stringify({ ...(JSON.parse(sample.body) as Record<string, unknown>), thingName, eventId: `good-${thingName}` });

  it("holds at least 50 inputs", () => expect(cases.length).toBeGreaterThanOrEqual(50));

  it.each(cases.map((entry, index) => ({ ...entry, index })))("$name: dead-lettered with its reason, neighbours stored", async (entry) => {
    const body = expand(entry.body);
    const [before, after] = [`Good-${entry.index}-a`, `Good-${entry.index}-b`];
    const response = await invokeBatch(fn, [record("m-1", goodThing(before)), record("m-2", body), record("m-3", goodThing(after))]);
    expect(response.batchItemFailures).toEqual([]);
    expectOneDeadLetter(await drain(queues.capture), body, entry.reason);
    for (const thingName of [before, after]) {
      const key = { EntityKey: { S: `thing#${thingName}` }, AWSRegion: { S: "us-east-1" } };
      expect((await aws.dynamodb().send(new GetItemCommand({ TableName: REPLICA, Key: key }))).Item?.["ThingName"]).toEqual({
        S: thingName,
      });
    }
  });
});

describe("ingest-messages: the bad-input corpus", () => {
  const cases = corpus<SqsCase>("ingest-messages.json");
  let fn: ReturnType<typeof ingest.deploy>;
  beforeAll(() => {
    fn = ingest.deploy("us-east-1", aws.local().url, { ...ingestEnvironment(MESSAGES, queues.ingest), ...WARNINGS });
  });

  it.each(cases.map((entry, index) => ({ ...entry, index })))("$name: dead-lettered with its reason, neighbours stored", async (entry) => {
    const body = expand(entry.body);
    const uuid = `corpus-${entry.index}`;
    const good = (epochTime: number) => JSON.stringify({ epochTime, thingName: uuid, tempSensor1F: "72" });
    const response = await invokeBatch(fn, [record("m-1", good(1)), record("m-2", body), record("m-3", good(2))]);
    expect(response.batchItemFailures).toEqual([]);
    expectOneDeadLetter(await drain(queues.ingest), body, entry.reason);
    expect(await storedMessages(aws.dynamodb(), MESSAGES, uuid)).toHaveLength(2);
  });
});

describe("message-api: the bad-input corpus", () => {
  const cases = corpus<ApiCase>("message-api.json");
  let fn: ReturnType<typeof api.deploy>;
  let watcher: MqttClient;
  const received: { topic: string; payload: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    fn = api.deploy("us-east-1", aws.local().url, { ...messageApiEnvironment(MESSAGES), ...WARNINGS });
    watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${aws.local().hub.portFor("us-east-1")}`);
    watcher.on("message", (topic, payload) => received.push({ topic, payload: JSON.parse(payload.toString()) as Record<string, unknown> }));
    await watcher.subscribeAsync("response/#", { qos: 1 });
  });
  afterAll(async () => {
    await watcher?.endAsync();
  });

  /** Invokes the function as the topic rule would, and returns what it logged. */
  const invoke = (event: unknown) =>
    captured(async () => {
      const outcome = await fn.invoke(event);
      if (!outcome.ok) throw new Error(`the request crashed the function: ${outcome.error.name}: ${outcome.error.message}`);
    });

  it.each(cases)("$name: refused, saying why; the next request is answered", async (entry) => {
    const from = received.length;
    const logs = await invoke(entry.event);
    if (entry.respondOn === null) {
      const warning = logs.find((line) => line["level"] === "WARN");
      expect(warning?.["reason"]).toMatch(new RegExp(entry.reason));
      expect(received.slice(from)).toEqual([]);
    } else {
      const response = received.slice(from).find((message) => message.topic === entry.respondOn);
      expect(response?.payload["error"]).toMatch(new RegExp(entry.reason));
    }
    const next = received.length;
    await invoke({ token: "after-bad-input", topic: "request/query/nobody" });
    expect(received.slice(next).map((message) => message.topic)).toContain("response/query/after-bad-input");
  });
});
