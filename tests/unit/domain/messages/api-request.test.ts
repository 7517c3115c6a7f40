import { parseApiRequest } from "../../../../src/domain/messages/api-request";
import { rejectedResponse } from "../../../../src/domain/messages/api-responses";

const ID = "0000001564669331-1564669332364-9d3c1a2e-0000-4000-8000-000000000001";
const rejection = (event: unknown) => {
  const parsed = parseApiRequest(event);
  if (parsed.isOk()) throw new Error(`expected a rejection, got ${JSON.stringify(parsed.value)}`);
  return parsed.error;
};

describe("parseApiRequest: the sample's operations", () => {
  it.each([
    [
      { token: "t-1", topic: "request/query/testThing" },
      { op: "query", token: "t-1", uuid: "testThing" },
    ],
    [
      { token: "t-1", topic: `request/get/testThing/${ID}` },
      { op: "get", token: "t-1", uuid: "testThing", messageId: ID },
    ],
    [
      { token: "t-1", topic: `request/next/testThing/${ID}` },
      { op: "next", token: "t-1", uuid: "testThing", messageId: ID },
    ],
    [
      { token: "t-1", topic: `request/prev/testThing/${ID}` },
      { op: "prev", token: "t-1", uuid: "testThing", messageId: ID },
    ],
    [
      { token: "t-1", topic: `request/delete/testThing/${ID}` },
      { op: "delete", token: "t-1", uuid: "testThing", messageId: ID },
    ],
    [
      { token: "t-1", topic: "request/list/testThing" },
      { op: "list", token: "t-1", uuid: "testThing", limit: 25, cursor: undefined },
    ],
    [
      { token: "t-1", topic: "request/list/testThing", limit: 100, cursor: ID },
      { op: "list", token: "t-1", uuid: "testThing", limit: 100, cursor: ID },
    ],
  ])("%j", (event, expected) => {
    expect(parseApiRequest(event)._unsafeUnwrap()).toEqual(expected);
  });

  it("accepts the longest allowed token (64 characters of [A-Za-z0-9_-])", () => {
    const token = `${"a".repeat(32)}_${"B".repeat(29)}-9`;
    expect(parseApiRequest({ token, topic: "request/query/testThing" })._unsafeUnwrap()).toMatchObject({ token });
  });
});

describe("parseApiRequest: a token nobody can be answered on is never used in a topic", () => {
  it.each([
    ["a wildcard +", "abc+"],
    ["a wildcard #", "#"],
    ["a level separator /", "abc/def"],
    ["a reserved topic $", "$aws/things/x/shadow/update"],
    ["a dollar inside", "abc$def"],
    ["a space", "abc def"],
    ["an empty token", ""],
    ["65 characters", "a".repeat(65)],
    ["a non-ASCII letter", "tökén"],
    ["a number", 42],
    ["null", null],
    ["no token at all", undefined],
  ])("%s -> no response topic, a log line only", (_what, token) => {
    const rejected = rejection({ topic: "request/query/testThing", ...(token !== undefined ? { token } : {}) });
    expect(rejected.responseTopic).toBeUndefined();
    expect(rejected.reason).toMatch(/token/);
  });

  it("an event that is not an object, or has no request topic, has nobody to answer", () => {
    expect(rejection("request/query/testThing").responseTopic).toBeUndefined();
    expect(rejection({ token: "t-1" }).responseTopic).toBeUndefined();
    expect(rejection({ token: "t-1", topic: "other/query/testThing" }).responseTopic).toBeUndefined();
  });
});

describe("parseApiRequest: a bad request with a usable token gets an error payload", () => {
  it.each([
    ["an unknown operation", { topic: "request/send/testThing/other" }, "response/send/t-1", /unknown operation "send"/],
    ["a uuid with a forbidden character", { topic: "request/query/test$Thing" }, "response/query/t-1", /uuid/],
    ["a missing uuid", { topic: "request/query" }, "response/query/t-1", /uuid/],
    ["an empty uuid", { topic: "request/query/" }, "response/query/t-1", /uuid/],
    ["a uuid over 128 characters", { topic: `request/query/${"u".repeat(129)}` }, "response/query/t-1", /uuid/],
    ["get without a message id", { topic: "request/get/testThing" }, "response/get/t-1", /messageId/],
    ["a message id with a forbidden character", { topic: "request/next/testThing/abc$def" }, "response/next/t-1", /messageId/],
    ["an empty message id", { topic: "request/delete/testThing/" }, "response/delete/t-1", /messageId/],
    ["too many segments", { topic: `request/get/testThing/${ID}/extra` }, "response/get/t-1", /too many topic segments/],
    ["query with a message id", { topic: `request/query/testThing/${ID}` }, "response/query/t-1", /query takes no message id/],
    ["list over 100", { topic: "request/list/testThing", limit: 101 }, "response/list/t-1", /limit must be an integer from 1 to 100/],
    ["list of 0", { topic: "request/list/testThing", limit: 0 }, "response/list/t-1", /limit/],
    ["a fractional limit", { topic: "request/list/testThing", limit: 2.5 }, "response/list/t-1", /limit/],
    ["a limit as a string", { topic: "request/list/testThing", limit: "10" }, "response/list/t-1", /limit/],
    ["a cursor with a forbidden character", { topic: "request/list/testThing", cursor: "a/b" }, "response/list/t-1", /cursor/],
  ])("%s", (_what, event, topic, reason) => {
    const rejected = rejection({ token: "t-1", ...event });
    expect(rejected.responseTopic).toBe(topic);
    expect(rejected.reason).toMatch(reason);
  });

  it("an operation segment that is not safe to echo leaves nobody to answer", () => {
    expect(rejection({ token: "t-1", topic: "request/$aws/testThing" }).responseTopic).toBeUndefined();
    expect(rejection({ token: "t-1", topic: "request//testThing" }).responseTopic).toBeUndefined();
  });

  it("the error payload echoes the uuid only when it was valid", () => {
    const withUuid = rejection({ token: "t-1", topic: "request/get/testThing" });
    expect(rejectedResponse(withUuid.reason, withUuid.uuid)).toEqual({ error: withUuid.reason, uuid: "testThing" });
    const withoutUuid = rejection({ token: "t-1", topic: "request/get/te+st" });
    expect(rejectedResponse(withoutUuid.reason, withoutUuid.uuid)).toEqual({ error: withoutUuid.reason });
  });
});
