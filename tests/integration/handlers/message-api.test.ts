import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import mqtt, { type MqttClient } from "mqtt";
import { createDynamoDbMessageWriter } from "../../../src/adapters/dynamodb-message-writer";
import { messageApiEnvironment } from "../../support/function-environments";
import { createMessagesTable } from "../../support/messages-table";

const aws = useLocalAws(["us-east-1"]);
const api = useTemplateFunction("MessageApiFunction");
const TABLE = "IoTMessages";
const FIRST = "0000001564669331-1564669332364-9d3c1a2e-0000-4000-8000-000000000001";
const SECOND = "0000001564669400-1564669401000-9d3c1a2e-0000-4000-8000-000000000002";
const THIRD = "0000001564669500-1564669501000-9d3c1a2e-0000-4000-8000-000000000003";
const BODY = { epochTime: "1564669331", tempSensor1F: "72", tempSensor2F: "70", thingName: "testThing" };

let watcher: MqttClient;
const received: { topic: string; payload: Record<string, unknown> }[] = [];

const loadApiEvent = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "events", file), "utf8")) as Record<string, unknown>;

/** Invokes the function as the topic rule would (asynchronously, with the rule's output as the event). */
let invoke: (event: unknown) => Promise<void>;

/** Waits until `count` responses arrived after `from`, then returns them. */
const responsesAfter = async (from: number, count: number, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (received.length < from + count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return received.slice(from);
};

beforeAll(async () => {
  await createMessagesTable(aws.dynamodb(), TABLE);
  const store = createDynamoDbMessageWriter(aws.dynamodb(), TABLE);
  await store.batchPut([FIRST, SECOND, THIRD].map((messageId) => ({ uuid: "testThing", messageId, body: BODY })));
  const fn = api.deploy("us-east-1", aws.local().url, messageApiEnvironment(TABLE));
  invoke = async (event) => {
    const outcome = await fn.invoke(event);
    if (!outcome.ok) throw new Error(`${outcome.error.name}: ${outcome.error.message}`);
  };
  watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${aws.local().hub.portFor("us-east-1")}`);
  watcher.on("message", (topic, payload) => received.push({ topic, payload: JSON.parse(payload.toString()) as Record<string, unknown> }));
  await watcher.subscribeAsync("#", { qos: 1 });
});

afterAll(async () => {
  await watcher?.endAsync();
});

/** Runs one sample event through the function and returns the one response it published. */
const answerTo = async (event: Record<string, unknown>) => {
  const before = received.length;
  await invoke(event);
  const responses = await responsesAfter(before, 1);
  expect(responses).toHaveLength(1);
  return responses[0]!;
};

describe("message-api handler (events/ samples, local AWS, answers read over MQTT)", () => {
  it("events/message-api-query.json: newest and oldest message id", async () => {
    const event = loadApiEvent("message-api-query.json");
    expect(await answerTo(event)).toEqual({
      topic: `response/query/${event["token"]}`,
      payload: { newestMessageId: THIRD, oldestMessageId: FIRST, uuid: "testThing" },
    });
  });

  it("events/message-api-get.json: the body, message id and uuid", async () => {
    const event = loadApiEvent("message-api-get.json");
    expect(await answerTo(event)).toEqual({
      topic: `response/get/${event["token"]}`,
      payload: { body: BODY, messageId: FIRST, uuid: "testThing" },
    });
  });

  it("events/message-api-next.json: the next message id", async () => {
    const event = loadApiEvent("message-api-next.json");
    expect((await answerTo(event)).payload).toEqual({ nextMessageId: SECOND, specifiedMessageId: FIRST, uuid: "testThing" });
  });

  it("events/message-api-prev.json: no older message than the first", async () => {
    const event = loadApiEvent("message-api-prev.json");
    expect((await answerTo(event)).payload).toEqual({ error: "No older messages available", specifiedMessageId: FIRST, uuid: "testThing" });
    expect((await answerTo({ ...event, topic: `request/prev/testThing/${THIRD}` })).payload).toEqual({
      previousMessageId: SECOND,
      specifiedMessageId: THIRD,
      uuid: "testThing",
    });
  });

  it("events/message-api-list.json: pages of ids with a cursor, null at the end", async () => {
    const event = loadApiEvent("message-api-list.json");
    const first = (await answerTo(event)).payload;
    expect(first).toEqual({ messageIds: [FIRST, SECOND], nextCursor: SECOND, uuid: "testThing" });
    expect((await answerTo({ ...event, cursor: first["nextCursor"] })).payload).toMatchObject({ messageIds: [THIRD] });
  });

  it("events/message-api-delete.json: deletes, and answers the same for a message that is gone", async () => {
    const event = loadApiEvent("message-api-delete.json");
    expect((await answerTo(event)).payload).toEqual({ messageId: FIRST, uuid: "testThing" });
    expect((await answerTo(event)).payload).toEqual({ messageId: FIRST, uuid: "testThing" });
    expect((await answerTo(loadApiEvent("message-api-get.json"))).payload).toEqual({
      error: "Message not available",
      messageId: FIRST,
      uuid: "testThing",
    });
  });

  it("events/message-api-bad-token.json: no usable token, so nothing is published anywhere", async () => {
    const before = received.length;
    await invoke(loadApiEvent("message-api-bad-token.json"));
    expect(await responsesAfter(before, 1, 500)).toEqual([]);
  });

  it("a bad request with a usable token gets an error payload on its own response topic", async () => {
    const answer = await answerTo({ token: "testThing-1", topic: "request/get/testThing" });
    expect(answer).toEqual({
      topic: "response/get/testThing-1",
      payload: { error: "messageId must be 1 to 256 letters, digits, '_', '.', ':' or '-'", uuid: "testThing" },
    });
  });
});
