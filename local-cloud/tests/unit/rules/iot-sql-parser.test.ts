import { IotSqlError } from "../../../src/rules/iot-sql-error";
import { parseIotSql } from "../../../src/rules/iot-sql-parser";

const whereOf = (condition: string) => parseIotSql(`SELECT * FROM 't' WHERE ${condition}`).where;
const itemOf = (projection: string) => parseIotSql(`SELECT ${projection} FROM 't'`).select[0];

const parseError = (sql: string): IotSqlError => {
  try {
    parseIotSql(sql);
  } catch (error) {
    expect(error).toBeInstanceOf(IotSqlError);
    return error as IotSqlError;
  }
  throw new Error(`expected ${sql} not to parse`);
};

describe("parseIotSql: statements", () => {
  it("parses SELECT * FROM with no WHERE", () => {
    expect(parseIotSql("SELECT * FROM 'a/b'")).toEqual({ select: [{ kind: "all" }], from: "a/b" });
  });

  it("reads keywords in any case and spreads over lines", () => {
    expect(parseIotSql("select *\n  from 'a/#'\n  wHeRe x = 1")).toEqual({
      select: [{ kind: "all" }],
      from: "a/#",
      where: { kind: "comparison", operator: "=", left: { kind: "field", path: ["x"] }, right: { kind: "literal", value: 1 } },
    });
  });

  it("parses *, expr AS name", () => {
    expect(parseIotSql("SELECT *, topic() AS topic, timestamp() AS receivedAt FROM 'request/#'").select).toEqual([
      { kind: "all" },
      { kind: "expression", expression: { kind: "call", name: "topic" }, name: "topic" },
      { kind: "expression", expression: { kind: "call", name: "timestamp" }, name: "receivedAt" },
    ]);
  });

  it("parses the template's registry-events rule", () => {
    const where = parseIotSql(
      "SELECT * FROM '$aws/events/#' WHERE topic(3) = 'thing' OR topic(3) = 'thingType' OR topic(3) = 'thingTypeAssociation'",
    ).where;
    const alternative = (value: string) => ({
      kind: "comparison",
      operator: "=",
      left: { kind: "call", name: "topic", segment: 3 },
      right: { kind: "literal", value },
    });
    expect(where).toEqual({
      kind: "or",
      left: { kind: "or", left: alternative("thing"), right: alternative("thingType") },
      right: alternative("thingTypeAssociation"),
    });
  });
});

describe("parseIotSql: projection items", () => {
  it.each([
    ["a.b.c", { kind: "field", path: ["a", "b", "c"] }, "c"],
    ["readings[2]", { kind: "field", path: ["readings", 2] }, "readings"],
    ["a.select", { kind: "field", path: ["a", "select"] }, "select"],
    ["'text'", { kind: "literal", value: "text" }, "_1"],
    ["'it''s'", { kind: "literal", value: "it's" }, "_1"],
    ["42", { kind: "literal", value: 42 }, "_1"],
    ["-1.5", { kind: "literal", value: -1.5 }, "_1"],
    ["TRUE", { kind: "literal", value: true }, "_1"],
    ["false", { kind: "literal", value: false }, "_1"],
    ["null", { kind: "literal", value: null }, "_1"],
    ["topic()", { kind: "call", name: "topic" }, "topic"],
    ["TOPIC(2)", { kind: "call", name: "topic", segment: 2 }, "topic"],
    ["timestamp()", { kind: "call", name: "timestamp" }, "timestamp"],
    ["newuuid()", { kind: "call", name: "newuuid" }, "newuuid"],
    ["clientid()", { kind: "call", name: "clientid" }, "clientid"],
    ["encode(*, 'base64')", { kind: "call", name: "encode", source: "payload", encoding: "base64" }, "encode"],
    ["encode(a.b, 'base64')", { kind: "call", name: "encode", source: { kind: "field", path: ["a", "b"] }, encoding: "base64" }, "encode"],
    ["a > 3", { kind: "comparison", operator: ">", left: { kind: "field", path: ["a"] }, right: { kind: "literal", value: 3 } }, "_1"],
  ])("%s", (projection, expression, name) => {
    expect(itemOf(projection)).toEqual({ kind: "expression", expression, name });
  });

  it("uses the alias when given, in any keyword case", () => {
    expect(itemOf("state.reported.temperature as t")).toEqual({
      kind: "expression",
      expression: { kind: "field", path: ["state", "reported", "temperature"] },
      name: "t",
    });
  });

  it("names unaliased non-field items by their 1-based position", () => {
    expect(parseIotSql("SELECT a, 'x', b FROM 't'").select.map((item) => (item.kind === "expression" ? item.name : "*"))).toEqual([
      "a",
      "_2",
      "b",
    ]);
  });
});

describe("parseIotSql: conditions", () => {
  it.each([
    ["=", "="],
    ["<>", "<>"],
    ["!=", "<>"],
    ["<", "<"],
    ["<=", "<="],
    [">", ">"],
    [">=", ">="],
  ])("reads %s as %s", (symbol, operator) => {
    expect(whereOf(`a ${symbol} 'x'`)).toMatchObject({ kind: "comparison", operator });
  });

  it("binds AND tighter than OR, and NOT tighter than AND", () => {
    const a = { kind: "field", path: ["a"] };
    const b = { kind: "field", path: ["b"] };
    const c = { kind: "field", path: ["c"] };
    expect(whereOf("a OR NOT b AND c")).toEqual({
      kind: "or",
      left: a,
      right: { kind: "and", left: { kind: "not", operand: b }, right: c },
    });
  });

  it("honours parentheses", () => {
    expect(whereOf("(a OR b) AND c")).toEqual({
      kind: "and",
      left: { kind: "or", left: { kind: "field", path: ["a"] }, right: { kind: "field", path: ["b"] } },
      right: { kind: "field", path: ["c"] },
    });
  });

  it("parses IS NULL and IS NOT NULL", () => {
    expect(whereOf("a IS NULL")).toEqual({ kind: "isNull", operand: { kind: "field", path: ["a"] }, negated: false });
    expect(whereOf("a.b is not null")).toEqual({ kind: "isNull", operand: { kind: "field", path: ["a", "b"] }, negated: true });
  });

  it("parses the shadow rule's nested comparison", () => {
    expect(whereOf("current.state.reported.temperature > 30")).toEqual({
      kind: "comparison",
      operator: ">",
      left: { kind: "field", path: ["current", "state", "reported", "temperature"] },
      right: { kind: "literal", value: 30 },
    });
  });
});

describe("parseIotSql: errors", () => {
  it.each([
    ["", "Expected SELECT at position 1 but found the end of the statement", 1],
    ["SELEC * FROM 'a'", "Expected SELECT at position 1 but found 'SELEC'", 1],
    ["SELECT * 'a'", "Expected FROM at position 10 but found ''a''", 10],
    ["SELECT * FROM a", "Expected a quoted topic filter such as 'devices/+/data' at position 15 but found 'a'", 15],
    ["SELECT FROM 'a'", "Expected a field, literal, function call or '(' at position 8 but found 'FROM'", 8],
    ["SELECT a AS FROM 'a'", "Expected a name after AS at position 13 but found 'FROM'", 13],
    ["SELECT * FROM 'a' WHERE", "Expected a field, literal, function call or '(' at position 24 but found the end of the statement", 24],
    ["SELECT * FROM 'a' WHERE (a = 1", "Expected ')' to close the '(' at position 25 at position 31", 31],
    ["SELECT * FROM 'a' WHERE a = 1 b", "Expected AND, OR or the end of the statement at position 31 but found 'b'", 31],
    ["SELECT * FROM 'a' LIMIT 1", "Expected WHERE or the end of the statement at position 19 but found 'LIMIT'", 19],
    ["SELECT * FROM 'a' WHERE a IS 1", "Expected NULL at position 30 but found '1'", 30],
    ["SELECT *, * FROM 'a'", "'*' is selected twice, again at position 11", 11],
    ["SELECT a.'x' FROM 'a'", "Expected a field name after '.' at position 10 but found ''x''", 10],
    ["SELECT topic(0) FROM 'a'", "Expected a topic level number (1 or more) or ')' in topic() at position 14", 14],
    ["SELECT timestamp(1) FROM 'a'", "Expected ')': timestamp() takes no arguments at position 18", 18],
    ["SELECT encode(*, 'hex') FROM 'a'", "Expected the encoding 'base64' (the only one supported) at position 18", 18],
    ["SELECT upper(a) FROM 'a'", "Unknown function 'upper' at position 8: expected one of topic()", 8],
    ["SELECT * FROM 'a/#/b'", "Invalid topic filter 'a/#/b' at position 15: '#' must be the whole last level", 15],
    ["SELECT * FROM 'a", "Unterminated string literal starting at position 15", 15],
    ["SELECT * FROM 'a' WHERE a == 1", "Expected a field, literal, function call or '(' at position 28 but found '='", 28],
    ["SELECT * FROM 'a' WHERE a ~ 1", "Unexpected character '~' at position 27", 27],
  ])("%j", (sql, message, position) => {
    const error = parseError(sql);
    expect(error.message).toContain(message);
    expect(error.position).toBe(position);
    expect(error.name).toBe("IotSqlError");
  });
});
