import { errAsync, okAsync } from "neverthrow";
import { answerApiRequest } from "../../../../src/domain/messages/answer-api-request";
import { parseApiRequest } from "../../../../src/domain/messages/api-request";
import { ingestMessages } from "../../../../src/domain/messages/ingest-messages";
import type { PutOutcome, ResponsePublisher } from "../../../../src/domain/messages/message-ports";
import type { IngestContext, StoredMessage } from "../../../../src/domain/messages/stored-message";
import { DependencyRejected, DependencyUnavailable, describeError } from "../../../../src/domain/shared/errors";
import { inMemoryMessageStore } from "../../../support/in-memory-message-store";

const context: IngestContext = { uuidKey: "thingName", messageIdKey: "epochTime", messageIdFormat: "padded", retentionSeconds: 0, now: 0 };
const queued = (n: number, body: unknown) => ({
  sqsMessageId: `sqs-${n}`,
  body: typeof body === "string" ? body : JSON.stringify(body),
  sentTimestamp: "1767225601000",
});
const id = (epoch: number, n: number) => `${String(epoch).padStart(16, "0")}-1767225601000-sqs-${n}`;

describe("ingestMessages", () => {
  it("writes the valid messages of a batch in one batchPut and reports an outcome per message, in input order", async () => {
    const throttled = new DependencyUnavailable("table", "throttled");
    const refuseThird = (item: StoredMessage): PutOutcome | undefined =>
      item.messageId === id(3, 3) ? { kind: "retried", error: throttled } : undefined;
    const { store, batches } = inMemoryMessageStore(refuseThird);
    const messages = [queued(1, { thingName: "a", epochTime: 1 }), queued(2, "{"), queued(3, { thingName: "a", epochTime: 3 })];
    messages.push(queued(4, { epochTime: 4 }));
    const ingested = await ingestMessages(messages, context, { store });
    expect(ingested.map(({ message }) => message)).toEqual(messages);
    expect(ingested.map(({ outcome }) => outcome.kind)).toEqual(["stored", "deadLettered", "retried", "deadLettered"]);
    expect(ingested[0]?.outcome).toEqual({ kind: "stored", subject: { uuid: "a", messageId: id(1, 1) } });
    expect(ingested[2]?.outcome).toEqual({ kind: "retried", error: throttled });
    const invalid = ingested[3]?.outcome;
    expect(invalid?.kind === "deadLettered" && describeError(invalid.error)).toBe("InvalidEvent: thingName: is missing");
    expect(batches).toEqual([2]);
  });

  it("does not call the store when every message is invalid", async () => {
    const { store, batches } = inMemoryMessageStore();
    const ingested = await ingestMessages([queued(1, "nope")], context, { store });
    expect(ingested.map(({ outcome }) => outcome.kind)).toEqual(["deadLettered"]);
    expect(batches).toEqual([]);
  });
});

describe("ingestMessages with notifications", () => {
  it("notifies every stored message and retries one whose notification fails, whatever the failure", async () => {
    const { store, items } = inMemoryMessageStore();
    const published: unknown[] = [];
    const refused = new DependencyRejected("AWS IoT data plane", "RequestEntityTooLargeException: too large");
    const notifications: ResponsePublisher = {
      publish: (topic, payload) => (topic === "notification/b" ? errAsync(refused) : okAsync(void published.push({ topic, payload }))),
    };
    const messages = [queued(1, { thingName: "a", epochTime: 1 }), queued(2, { thingName: "b", epochTime: 2 })];
    const ingested = await ingestMessages(messages, context, { store, notifications });
    expect(published).toEqual([{ topic: "notification/a", payload: { messageId: id(1, 1), uuid: "a" } }]);
    expect(ingested[0]?.outcome.kind).toBe("stored");
    const failed = ingested[1]?.outcome;
    expect(failed?.kind).toBe("retried");
    expect(failed?.kind === "retried" && describeError(failed.error)).toBe(
      "DependencyUnavailable: stored, but the notification failed: DependencyRejected: RequestEntityTooLargeException: too large",
    );
    expect(items.size).toBe(2);
  });
});

describe("answerApiRequest", () => {
  const seeded = async () => {
    const { store } = inMemoryMessageStore();
    await ingestMessages(
      [1000, 999, 5].map((epoch, n) => queued(n, { thingName: "testThing", epochTime: epoch })),
      context,
      { store },
    );
    return store;
  };
  const ask = async (topic: string, extra: Record<string, unknown> = {}) =>
    (await answerApiRequest(parseApiRequest({ token: "tok", topic, ...extra })._unsafeUnwrap(), await seeded()))._unsafeUnwrap();

  it("walks messages in the sender's numeric order (5, 999, 1000), thanks to the zero padding", async () => {
    expect(await ask("request/query/testThing")).toEqual({
      topic: "response/query/tok",
      payload: { newestMessageId: id(1000, 0), oldestMessageId: id(5, 2), uuid: "testThing" },
    });
    expect((await ask(`request/next/testThing/${id(5, 2)}`)).payload).toEqual({
      nextMessageId: id(999, 1),
      specifiedMessageId: id(5, 2),
      uuid: "testThing",
    });
    expect((await ask(`request/prev/testThing/${id(1000, 0)}`)).payload).toEqual({
      previousMessageId: id(999, 1),
      specifiedMessageId: id(1000, 0),
      uuid: "testThing",
    });
    expect((await ask("request/list/testThing", { limit: 2 })).payload).toEqual({
      messageIds: [id(5, 2), id(999, 1)],
      nextCursor: id(999, 1),
      uuid: "testThing",
    });
  });

  it("answers with the sample's error payloads when there is nothing to return", async () => {
    expect((await ask("request/query/nobody")).payload).toEqual({ error: "No messages available", uuid: "nobody" });
    expect((await ask(`request/next/testThing/${id(1000, 0)}`)).payload).toEqual({
      error: "No newer messages available",
      specifiedMessageId: id(1000, 0),
      uuid: "testThing",
    });
    expect((await ask("request/get/testThing/missing")).payload).toEqual({
      error: "Message not available",
      messageId: "missing",
      uuid: "testThing",
    });
    expect((await ask("request/delete/testThing/missing")).payload).toEqual({ messageId: "missing", uuid: "testThing" });
  });
});
