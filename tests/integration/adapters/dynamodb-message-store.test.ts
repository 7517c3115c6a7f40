import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type DynamoDBClient as Client, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { useDynamoDbLocal } from "local-cloud/testing";
import { createDynamoDbMessageStore, DEFAULT_BATCH_RETRY } from "../../../src/adapters/dynamodb-message-store";
import type { StoredMessage } from "../../../src/domain/messages/stored-message";
import { createMessagesTable, storedMessages } from "../../support/messages-table";

const dynamo = useDynamoDbLocal();
const TABLE = "IoTMessages";
let client: Client;

const id = (n: number) => `${String(n).padStart(16, "0")}-1767225601000-sqs-${n}`;
const message = (uuid: string, n: number, body: Record<string, unknown> = { n }): StoredMessage => ({ uuid, messageId: id(n), body });
const noWait = { ...DEFAULT_BATCH_RETRY, sleep: async () => undefined };

beforeAll(async () => {
  client = dynamo.client();
  await createMessagesTable(client, TABLE);
});

describe("DynamoDB message store (DynamoDB Local)", () => {
  it("writes a batch of 60 in BatchWriteItem chunks of 25, reporting every item stored", async () => {
    const store = createDynamoDbMessageStore(client, TABLE, noWait);
    const items = Array.from({ length: 60 }, (_, n) => message("chunked", n + 1));
    const outcomes = await store.batchPut(items);
    expect(outcomes._unsafeUnwrap()).toEqual(items.map(() => ({ kind: "stored" })));
    expect(await storedMessages(client, TABLE, "chunked")).toHaveLength(60);
  });

  it("isolates an item DynamoDB refuses (over 400 KB): only it is rejected, the rest of its request is stored", async () => {
    const store = createDynamoDbMessageStore(client, TABLE, noWait);
    const items = [message("isolated", 1), message("isolated", 2, { blob: "x".repeat(410 * 1024) }), message("isolated", 3)];
    const outcomes = (await store.batchPut(items))._unsafeUnwrap();
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["stored", "deadLettered", "stored"]);
    expect(outcomes[1]).toMatchObject({ error: { kind: "DependencyRejected", message: expect.stringMatching(/^ValidationException/) } });
    expect((await storedMessages(client, TABLE, "isolated")).map((item) => item["messageId"])).toEqual([id(1), id(3)]);
  });

  it("reads newest/oldest, get, next/prev, pages with a cursor, and deletes idempotently, all by Query on the sort key", async () => {
    const store = createDynamoDbMessageStore(client, TABLE, noWait);
    await store.batchPut([3, 1, 2, 10].map((n) => message("reader", n)));
    expect((await store.newestAndOldest("reader"))._unsafeUnwrap()).toEqual({ newest: id(10), oldest: id(1) });
    expect((await store.newestAndOldest("nobody"))._unsafeUnwrap()).toBeUndefined();
    expect((await store.get("reader", id(2)))._unsafeUnwrap()).toEqual(message("reader", 2));
    expect((await store.get("reader", id(4)))._unsafeUnwrap()).toBeUndefined();
    expect((await store.adjacent("reader", id(3), "next"))._unsafeUnwrap()).toBe(id(10));
    expect((await store.adjacent("reader", id(3), "prev"))._unsafeUnwrap()).toBe(id(2));
    expect((await store.adjacent("reader", id(10), "next"))._unsafeUnwrap()).toBeUndefined();
    expect((await store.adjacent("reader", id(5), "prev"))._unsafeUnwrap()).toBe(id(3));
    const first = (await store.listPage("reader", 3, undefined))._unsafeUnwrap();
    expect(first.messageIds).toEqual([id(1), id(2), id(3)]);
    const second = (await store.listPage("reader", 3, first.nextCursor))._unsafeUnwrap();
    expect(second).toEqual({ messageIds: [id(10)], nextCursor: undefined });
    expect((await store.delete("reader", id(2))).isOk()).toBe(true);
    expect((await store.delete("reader", id(2))).isOk()).toBe(true);
    expect((await store.adjacent("reader", id(1), "next"))._unsafeUnwrap()).toBe(id(3));
  });

  it("maps a missing table to a retryable error for reads and a retry outcome for writes", async () => {
    const store = createDynamoDbMessageStore(client, "NoSuchTable", noWait);
    expect((await store.get("a", id(1)))._unsafeUnwrapErr().kind).toBe("DependencyUnavailable");
    const missing = { kind: "DependencyUnavailable", message: expect.stringMatching(/ResourceNotFoundException/) };
    const outcomes = (await store.batchPut([message("a", 1)]))._unsafeUnwrap();
    expect(outcomes).toEqual([{ kind: "retried", error: expect.objectContaining(missing) }]);
  });
});

/**
 * DynamoDB Local never throttles, so UnprocessedItems come from a stand-in endpoint that speaks the
 * DynamoDB JSON protocol to the real SDK client: it leaves every item but the first unprocessed, then
 * takes the rest.
 */
describe("DynamoDB message store: UnprocessedItems", () => {
  let server: Server;
  let calls: number[] = [];
  let alwaysThrottle = false;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        const requests = (JSON.parse(body) as { RequestItems: Record<string, unknown[]> }).RequestItems[TABLE] ?? [];
        calls.push(requests.length);
        const unprocessed = alwaysThrottle ? requests : calls.length === 1 ? requests.slice(1) : [];
        response.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
        response.end(JSON.stringify({ UnprocessedItems: unprocessed.length > 0 ? { [TABLE]: unprocessed } : {} }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    calls = [];
  });

  const standIn = () =>
    new DynamoDBClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });

  it("retries only the unprocessed items, after a jittered exponential backoff", async () => {
    alwaysThrottle = false;
    const delays: number[] = [];
    const store = createDynamoDbMessageStore(standIn(), TABLE, {
      ...DEFAULT_BATCH_RETRY,
      random: () => 0.5,
      sleep: async (ms) => void delays.push(ms),
    });
    const outcomes = (await store.batchPut([1, 2, 3].map((n) => message("throttled", n))))._unsafeUnwrap();
    expect(outcomes).toEqual([{ kind: "stored" }, { kind: "stored" }, { kind: "stored" }]);
    expect(calls).toEqual([3, 2]);
    expect(delays).toEqual([50]);
  });

  it("gives up after the configured attempts and reports those items for a retry by SQS", async () => {
    alwaysThrottle = true;
    const delays: number[] = [];
    const store = createDynamoDbMessageStore(standIn(), TABLE, {
      ...DEFAULT_BATCH_RETRY,
      random: () => 1,
      sleep: async (ms) => void delays.push(ms),
    });
    const outcomes = (await store.batchPut([message("throttled", 1)]))._unsafeUnwrap();
    const throttled = { kind: "DependencyUnavailable", message: "still unprocessed after 5 BatchWriteItem attempts (throttled)" };
    expect(outcomes).toEqual([{ kind: "retried", error: expect.objectContaining(throttled) }]);
    expect(calls).toHaveLength(5);
    expect(delays).toEqual([100, 200, 400, 800]);
  });
});
