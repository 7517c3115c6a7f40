import { parseIotSql } from "../../../../src/local/iot-sql/iot-sql-parser";
import { evaluateStatement } from "../../../../src/local/iot-sql/iot-sql-evaluator";

const env = { now: () => 1_700_000_000_000, newId: () => "uuid-1" };
const run = (sql: string, topic: string, payload: unknown) =>
  evaluateStatement(parseIotSql(sql), { topic, payload: Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload)) }, env);

const REGISTRY_RULE =
  "SELECT * FROM '$aws/events/#' WHERE topic(3) = 'thing' OR topic(3) = 'thingType' OR topic(3) = 'thingTypeAssociation' OR topic(3) = 'thingGroup' OR topic(3) = 'thingGroupMembership' OR topic(3) = 'thingGroupHierarchy'";

describe("IoT SQL", () => {
  it("parses the template's registry rule and keeps the topic filter", () => {
    expect(parseIotSql(REGISTRY_RULE).from).toBe("$aws/events/#");
  });

  it.each([
    ["$aws/events/thing/bulb/created", true],
    ["$aws/events/thingGroupMembership/thingGroup/g/thing/t/added", true],
    ["$aws/events/presence/connected/client-1", false],
    ["$aws/events/job/123/completed", false],
  ])("registry rule on %s matches: %s", (topic, matched) => {
    expect(run(REGISTRY_RULE, topic, { eventType: "X" }).matched).toBe(matched);
  });

  it("SELECT * passes the payload through unchanged", () => {
    expect(run(REGISTRY_RULE, "$aws/events/thing/bulb/created", { a: 1, b: { c: "x" } }).output).toEqual({ a: 1, b: { c: "x" } });
  });

  it("adds selected functions to SELECT *", () => {
    expect(run("SELECT *, topic() AS topic, timestamp() AS receivedAt, newuuid() as id FROM 'request/#'", "request/query/t1", { token: "x" }).output).toEqual({
      token: "x",
      topic: "request/query/t1",
      receivedAt: 1_700_000_000_000,
      id: "uuid-1",
    });
  });

  it("selects nested fields and compares numbers in WHERE", () => {
    const sql = "SELECT current.state.reported.temperature AS t, topic(3) AS thing FROM '$aws/things/+/shadow/update/documents' WHERE current.state.reported.temperature > 30";
    expect(run(sql, "$aws/things/bulb/shadow/update/documents", { current: { state: { reported: { temperature: 31 } } } })).toEqual({ matched: true, output: { t: 31, thing: "bulb" } });
    expect(run(sql, "$aws/things/bulb/shadow/update/documents", { current: { state: { reported: { temperature: 30 } } } }).matched).toBe(false);
  });

  it("treats comparisons with missing fields and mixed types as not true, and leaves undefined fields out", () => {
    expect(run("SELECT * FROM 'a' WHERE missing = 1", "a", {}).matched).toBe(false);
    expect(run("SELECT * FROM 'a' WHERE NOT missing = 1", "a", {}).matched).toBe(false);
    expect(run("SELECT * FROM 'a' WHERE n = '1'", "a", { n: 1 }).matched).toBe(false);
    expect(run("SELECT missing, n FROM 'a'", "a", { n: 1 }).output).toEqual({ n: 1 });
  });

  it("supports IS NULL, IS NOT NULL, NOT, parentheses, array indexes and escaped quotes", () => {
    expect(run("SELECT * FROM 'a' WHERE x IS NULL", "a", { x: null }).matched).toBe(true);
    expect(run("SELECT * FROM 'a' WHERE x IS NOT NULL", "a", { x: 0 }).matched).toBe(true);
    expect(run("SELECT * FROM 'a' WHERE NOT (x = 1 OR x = 2) AND y[1] = 'it''s'", "a", { x: 3, y: ["a", "it's"] }).matched).toBe(true);
  });

  it("passes a non-JSON payload through SELECT * as bytes", () => {
    const raw = Buffer.from([0xff, 0x00, 0x01]);
    expect(run("SELECT * FROM 'raw/#'", "raw/x", raw).output).toEqual(raw);
  });

  it.each([
    ["SELECT FROM 'a'", "expected a value, field or function at position 7, found 'FROM'"],
    ["SELECT * FROM a", "expected a quoted topic filter after FROM at position 14, found 'a'"],
    ["SELECT * FROM 'a' WHERE", "expected a value, field or function at position 23, found the end of the statement"],
    ["SELECT * FROM 'a' extra", "expected the end of the statement at position 18, found 'extra'"],
    ["SELECT * FROM 'a", "unterminated string starting at position 14"],
  ])("rejects %s with a message naming the position", (sql, message) => {
    expect(() => parseIotSql(sql)).toThrow(message);
  });
});
