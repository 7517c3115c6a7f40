import { evaluateRule, type RuleMessage } from "../../../src/rules/iot-sql-evaluator";
import { parseIotSql } from "../../../src/rules/iot-sql-parser";

const env = { now: () => 1_700_000_000_123, newId: () => "00000000-0000-4000-8000-000000000001" };
const run = (sql: string, message: RuleMessage) => evaluateRule(parseIotSql(sql), message, env);
const json = (value: unknown): string => JSON.stringify(value);

describe("template rule: registry events", () => {
  const sql =
    "SELECT * FROM '$aws/events/#' WHERE topic(3) = 'thing' OR topic(3) = 'thingType' OR topic(3) = 'thingTypeAssociation' " +
    "OR topic(3) = 'thingGroup' OR topic(3) = 'thingGroupMembership' OR topic(3) = 'thingGroupHierarchy'";
  const event = { eventType: "THING_EVENT", operation: "CREATED", thingName: "lamp-1", versionNumber: 1 };

  it.each([
    "$aws/events/thing/lamp-1/created",
    "$aws/events/thingType/bulb/updated",
    "$aws/events/thingTypeAssociation/thing/lamp-1/thingType/bulb",
    "$aws/events/thingGroup/kitchen/created",
    "$aws/events/thingGroupMembership/thingGroup/kitchen/thing/lamp-1/added",
    "$aws/events/thingGroupHierarchy/thingGroup/house/childThingGroup/kitchen/added",
  ])("passes the payload through for %s", (topic) => {
    expect(run(sql, { topic, payload: json(event) })).toEqual({ matched: true, output: event });
  });

  it.each([
    ["another event kind", "$aws/events/presence/connected/lamp-1"],
    ["a job event", "$aws/events/job/j1/completed"],
    ["a topic outside the filter", "$aws/things/lamp-1/shadow/update"],
    ["a topic too short for topic(3)", "$aws/events"],
  ])("does not match %s", (_why, topic) => {
    expect(run(sql, { topic, payload: json(event) })).toEqual({ matched: false });
  });
});

describe("template rule: MQTT API requests", () => {
  const sql = "SELECT *, topic() AS topic, timestamp() AS receivedAt FROM 'request/#'";

  it("merges the topic and receive time into the request", () => {
    const payload = Buffer.from(json({ limit: 10, topic: "overwritten" }));
    expect(run(sql, { topic: "request/list/7f3a", payload })).toEqual({
      matched: true,
      output: { limit: 10, topic: "request/list/7f3a", receivedAt: 1_700_000_000_123 },
    });
  });

  it("keeps only the added fields when the request body is not a JSON object", () => {
    expect(run(sql, { topic: "request/get/1", payload: "not json" })).toEqual({
      matched: true,
      output: { topic: "request/get/1", receivedAt: 1_700_000_000_123 },
    });
  });

  it("ignores responses", () => {
    expect(run(sql, { topic: "response/get/1", payload: "{}" })).toEqual({ matched: false });
  });
});

describe("template rule: hot shadow documents", () => {
  const sql =
    "SELECT state.reported.temperature AS t, topic(3) AS thing FROM '$aws/things/+/shadow/update/documents' " +
    "WHERE current.state.reported.temperature > 30";
  const topic = "$aws/things/oven-2/shadow/update/documents";
  const documents = (temperature: unknown) => ({
    previous: { state: { reported: { temperature: 20 } } },
    current: { state: { reported: { temperature } } },
  });

  it("matches a hot document; a field missing from the payload is left out", () => {
    expect(run(sql, { topic, payload: json(documents(31.5)) })).toEqual({ matched: true, output: { thing: "oven-2" } });
  });

  it("projects a field that is present", () => {
    const payload = json({ ...documents(45), state: { reported: { temperature: 45 } } });
    expect(run(sql, { topic, payload })).toEqual({ matched: true, output: { t: 45, thing: "oven-2" } });
  });

  it.each([
    ["at the threshold", 30],
    ["below the threshold", 12],
    ["a string temperature (mixed kinds do not compare)", "45"],
    ["no temperature", undefined],
  ])("does not match %s", (_why, temperature) => {
    expect(run(sql, { topic, payload: json(documents(temperature)) })).toEqual({ matched: false });
  });

  it("does not match a named shadow's documents", () => {
    expect(run(sql, { topic: "$aws/things/oven-2/shadow/name/cfg/update/documents", payload: json(documents(99)) })).toEqual({
      matched: false,
    });
  });
});

describe("template rule: named shadow documents", () => {
  const sql =
    "SELECT current.state AS state, topic(3) AS thingName, topic(6) AS shadowName FROM '$aws/things/+/shadow/name/+/update/documents'";

  it("extracts the state and the names from the topic", () => {
    const payload = json({ current: { state: { desired: { on: true } }, version: 4 }, timestamp: 1 });
    expect(run(sql, { topic: "$aws/things/lamp-1/shadow/name/config/update/documents", payload })).toEqual({
      matched: true,
      output: { state: { desired: { on: true } }, thingName: "lamp-1", shadowName: "config" },
    });
  });

  it("does not match the classic shadow", () => {
    expect(run(sql, { topic: "$aws/things/lamp-1/shadow/update/documents", payload: "{}" })).toEqual({ matched: false });
  });
});

describe("Undefined semantics", () => {
  const where = (condition: string, payload: unknown) =>
    run(`SELECT * FROM 't' WHERE ${condition}`, { topic: "t", payload: json(payload) }).matched;

  it.each([
    ["missing = 1", false],
    ["missing <> 1", false],
    ["missing < 1", false],
    ["NOT (missing = 1)", false],
    ["missing = 1 OR a = 1", true],
    ["missing = 1 AND a = 1", false],
    ["a = 1 AND NOT (missing = 1)", false],
    ["missing IS NULL", false],
    ["missing IS NOT NULL", false],
    ["n IS NULL", true],
    ["n IS NOT NULL", false],
    ["a IS NOT NULL", true],
    ["a.b = 1", false],
    ["list[1] = 'y'", true],
    ["list[5] = 'y'", false],
  ])("%s -> %s", (condition, expected) => {
    expect(where(condition, { a: 1, n: null, list: ["x", "y"] })).toBe(expected);
  });

  it.each([
    ["a = 1", true],
    ["a = '1'", false],
    ["a <> '1'", true],
    ["a > '0'", false],
    ["s < 'b'", true],
    ["s >= 'abc'", true],
    ["s > 'Z'", true],
    ["s = 'ABC'", false],
    ["f = 1.5", true],
    ["f > -2", true],
    ["flag = true", true],
    ["flag", true],
    ["text", true],
    ["flag AND text", true],
    ["NOT flag", false],
    ["obj = obj", true],
    ["1 < 2 AND 'a' <> 'b'", true],
    ["(a = 2 OR s = 'abc') AND NOT f = 0", true],
  ])("%s -> %s", (condition, expected) => {
    expect(where(condition, { a: 1, s: "abc", f: 1.5, flag: true, text: "TRUE", obj: { x: [1] } })).toBe(expected);
  });

  it("omits every projected field that is Undefined", () => {
    expect(run("SELECT a, missing, b.c AS bc, topic(9) AS deep FROM 't'", { topic: "t", payload: json({ a: 1 }) })).toEqual({
      matched: true,
      output: { a: 1 },
    });
  });
});

describe("non-JSON payloads", () => {
  const binary = Buffer.from([0xff, 0x00, 0x10, 0x80]);

  it("passes the raw Buffer through SELECT *", () => {
    const result = run("SELECT * FROM 'bin/#'", { topic: "bin/1", payload: binary });
    expect(result.matched).toBe(true);
    expect(result.output).toBe(binary);
  });

  it("passes a raw string through SELECT *", () => {
    expect(run("SELECT * FROM 'bin/#'", { topic: "bin/1", payload: "hello" })).toEqual({ matched: true, output: "hello" });
  });

  it("treats field references as Undefined", () => {
    expect(run("SELECT * FROM 'bin/#' WHERE a = 1", { topic: "bin/1", payload: binary })).toEqual({ matched: false });
    expect(run("SELECT a, topic(2) AS id FROM 'bin/#'", { topic: "bin/1", payload: binary })).toEqual({
      matched: true,
      output: { id: "1" },
    });
  });

  it("encodes the raw payload as base64", () => {
    expect(run("SELECT encode(*, 'base64') AS data FROM 'bin/#'", { topic: "bin/1", payload: binary }).output).toEqual({
      data: binary.toString("base64"),
    });
  });

  it("passes a JSON scalar payload through SELECT * as its value", () => {
    expect(run("SELECT * FROM 'n'", { topic: "n", payload: "42" })).toEqual({ matched: true, output: 42 });
  });
});

describe("functions and literals", () => {
  it("reads clientid(), newuuid(), timestamp() and literals", () => {
    const message = { topic: "a/b", payload: json({ v: { w: "x" } }), clientId: "device-9" };
    expect(
      run(
        "SELECT clientid() AS c, newuuid() AS id, timestamp() AS ts, 'k' AS k, 7 AS n, false AS f, encode(v, 'base64') AS e FROM 'a/+'",
        message,
      ),
    ).toEqual({
      matched: true,
      output: {
        c: "device-9",
        id: "00000000-0000-4000-8000-000000000001",
        ts: 1_700_000_000_123,
        k: "k",
        n: 7,
        f: false,
        e: Buffer.from(json({ w: "x" })).toString("base64"),
      },
    });
  });

  it("reports clientid() as n/a when the message did not come over MQTT", () => {
    expect(run("SELECT clientid() AS c FROM 'a'", { topic: "a", payload: "{}" }).output).toEqual({ c: "n/a" });
  });

  it("calls newId once per newuuid() in a matching message", () => {
    let count = 0;
    const counting = { now: () => 0, newId: () => `id-${++count}` };
    const statement = parseIotSql("SELECT newuuid() AS a, newuuid() AS b FROM 't'");
    expect(evaluateRule(statement, { topic: "t", payload: "{}" }, counting).output).toEqual({ a: "id-1", b: "id-2" });
  });

  it("evaluates boolean expressions in the projection", () => {
    expect(run("SELECT t > 30 AS hot, missing > 1 AS unknown FROM 't'", { topic: "t", payload: json({ t: 31 }) }).output).toEqual({
      hot: true,
    });
  });

  it("does not mutate the incoming payload object between messages", () => {
    const statement = parseIotSql("SELECT *, 1 AS extra FROM 't'");
    const first = evaluateRule(statement, { topic: "t", payload: json({ a: 1 }) }, env);
    const second = evaluateRule(statement, { topic: "t", payload: json({ b: 2 }) }, env);
    expect([first.output, second.output]).toEqual([
      { a: 1, extra: 1 },
      { b: 2, extra: 1 },
    ]);
  });
});
