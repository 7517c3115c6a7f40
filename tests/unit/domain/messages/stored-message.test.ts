import { buildMessageId, orderValue } from "../../../../src/domain/messages/message-id";
import { type IngestContext, toStoredMessage } from "../../../../src/domain/messages/stored-message";

const context: IngestContext = {
  uuidKey: "thingName",
  messageIdKey: "epochTime",
  messageIdFormat: "padded",
  retentionSeconds: 0,
  now: 1_767_225_600_000,
};
const queued = (body: unknown, sentTimestamp: string | undefined = "1564669332364") => ({
  sqsMessageId: "7d7efcff-bdcf-4d98-917e-d171d27cc0b4",
  body: typeof body === "string" ? body : JSON.stringify(body),
  sentTimestamp,
});
const reason = (body: unknown, ctx: IngestContext = context, sent?: string) =>
  toStoredMessage(queued(body, sent), ctx)._unsafeUnwrapErr().message;

describe("toStoredMessage", () => {
  it("stores the sample's message: uuid from thingName, <epochTime>-<SentTimestamp>-<SQS id>, the body as a map", () => {
    const body = { epochTime: "1564669331", tempSensor1F: "72", tempSensor2F: "70", thingName: "testThing" };
    expect(toStoredMessage(queued(body), context)._unsafeUnwrap()).toEqual({
      uuid: "testThing",
      messageId: "0000001564669331-1564669332364-7d7efcff-bdcf-4d98-917e-d171d27cc0b4",
      body,
    });
  });

  it("adds expiresAt when retention is configured", () => {
    const stored = toStoredMessage(queued({ thingName: "a", epochTime: 1 }), { ...context, retentionSeconds: 86_400 })._unsafeUnwrap();
    expect(stored.expiresAt).toBe(1_767_225_600 + 86_400);
  });

  it("reads the configured keys", () => {
    const stored = toStoredMessage(queued({ imei: 301234123412341, seq: "a:b" }), {
      ...context,
      uuidKey: "imei",
      messageIdKey: "seq",
    })._unsafeUnwrap();
    expect(stored).toMatchObject({ uuid: "301234123412341", messageId: "a:b-1564669332364-7d7efcff-bdcf-4d98-917e-d171d27cc0b4" });
  });

  it.each([
    ["not JSON", "this is not json", /^body is not JSON/],
    ["a JSON array", [1, 2], /^body must be a JSON object$/],
    ["a JSON string", '"text"', /^body must be a JSON object$/],
    ["no uuid key", { epochTime: "1" }, /^thingName: is missing$/],
    ["a uuid with a topic wildcard", { thingName: "a/#", epochTime: "1" }, /^thingName: must be 1 to 128/],
    ["a uuid that is an object", { thingName: {}, epochTime: "1" }, /^thingName: must be a string/],
    ["no message id key", { thingName: "a" }, /^epochTime: is missing$/],
    ["a negative order value", { thingName: "a", epochTime: -1 }, /^epochTime: must be a non-negative integer/],
    ["a fractional order value", { thingName: "a", epochTime: 1.5 }, /^epochTime: must be a non-negative integer/],
    ["an order value with a slash", { thingName: "a", epochTime: "1/2" }, /^epochTime: must be digits or/],
  ])("rejects %s, naming the field", (_what, body, expected) => {
    expect(reason(body)).toMatch(expected);
  });

  it("rejects a record without a SentTimestamp", () => {
    expect(reason({ thingName: "a", epochTime: 1 }, context, "")).toBe("attributes.SentTimestamp: must be epoch milliseconds");
  });
});

describe("message ids sort in the order of the sender's values", () => {
  it("zero-pads numbers and digit strings to 16 digits", () => {
    expect(orderValue(999, "f", "padded")._unsafeUnwrap()).toBe("0000000000000999");
    expect(orderValue("1564669331", "f", "padded")._unsafeUnwrap()).toBe("0000001564669331");
    expect(orderValue(Number.MAX_SAFE_INTEGER, "f", "padded")._unsafeUnwrap()).toBe("9007199254740991");
  });

  it("orders 999 before 1000 and seconds before milliseconds, where unpadded text would not", () => {
    const padded = (value: number) => buildMessageId(orderValue(value, "f", "padded")._unsafeUnwrap(), 1, "x", "padded")._unsafeUnwrap();
    const ids = [1000, 999, 1_564_669_331_000, 1_564_669_331].map(padded);
    expect([...ids].sort()).toEqual([ids[1], ids[0], ids[3], ids[2]]);
  });

  it("breaks ties by SentTimestamp, then by the SQS message id", () => {
    const a = buildMessageId("0000000000000001", 999, "b", "padded")._unsafeUnwrap();
    const b = buildMessageId("0000000000000001", 1000, "a", "padded")._unsafeUnwrap();
    expect(a < b).toBe(true);
  });
});

describe("the sample's message id format (MessageIdFormat=sample)", () => {
  const sample: IngestContext = { ...context, messageIdFormat: "sample" };

  it("writes ids exactly as the public sample did: <epochTime>-<SentTimestamp>-<SQS id>, nothing padded", () => {
    const body = { epochTime: "1564669331", thingName: "testThing" };
    const { messageId } = toStoredMessage(queued(body), sample)._unsafeUnwrap();
    expect(messageId).toBe("1564669331-1564669332364-7d7efcff-bdcf-4d98-917e-d171d27cc0b4");
    expect(orderValue(999, "f", "sample")._unsafeUnwrap()).toBe("999");
    expect(buildMessageId("5", 42, "x", "sample")._unsafeUnwrap()).toBe("5-42-x");
  });

  it("keeps new messages after the sample's in a table that already holds its ids, where padded ids would sort first", () => {
    const old = "1564669331-1564669332364-a";
    const newer = { epochTime: "1564669400", thingName: "testThing" };
    expect(toStoredMessage(queued(newer), sample)._unsafeUnwrap().messageId > old).toBe(true);
    expect(toStoredMessage(queued(newer), context)._unsafeUnwrap().messageId > old).toBe(false);
  });

  it("keeps the same checks: non-numeric values as text, the alphabet enforced", () => {
    expect(orderValue("a:b", "f", "sample")._unsafeUnwrap()).toBe("a:b");
    expect(orderValue("1/2", "f", "sample")._unsafeUnwrapErr().message).toMatch(/^f: must be digits or/);
    expect(orderValue(-1, "f", "sample").isErr()).toBe(true);
  });
});
