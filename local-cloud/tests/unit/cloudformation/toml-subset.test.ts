import fc from "fast-check";
import { parseTomlSubset } from "../../../src/cloudformation/toml-subset";

describe("parseTomlSubset", () => {
  it("reads tables, strings, numbers, booleans, arrays and comments", () => {
    const text = [
      "# a comment",
      "version = 0.1",
      "",
      "[default.global.parameters]",
      'stack_name = "fleet" # trailing comment',
      "[us-east-1-config.deploy.parameters]",
      "parallel = true",
      "cached = false",
      "count = -12",
      "literal = 'C:\\path # not a comment'",
      'escaped = "a \\"b\\" \\u00e9 # still text"',
      'capabilities = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]',
      '["quoted key".x]',
      "y = 1_000",
    ].join("\n");
    expect(parseTomlSubset(text)).toEqual({
      version: 0.1,
      default: { global: { parameters: { stack_name: "fleet" } } },
      "us-east-1-config": {
        deploy: {
          parameters: {
            parallel: true,
            cached: false,
            count: -12,
            literal: "C:\\path # not a comment",
            escaped: 'a "b" é # still text',
            capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
          },
        },
      },
      "quoted key": { x: { y: 1000 } },
    });
  });

  it("supports dotted keys inside a table", () => {
    expect(parseTomlSubset("[a]\nb.c = 1")).toEqual({ a: { b: { c: 1 } } });
  });

  it.each([
    ['a = "unterminated', /line 1: unterminated string/],
    ["a = bare", /line 1: unsupported value "bare"/],
    ["a = 1\na = 2", /line 2: key "a" defined twice/],
    ["[t]\n[t]", /line 2: table defined twice/],
    ["a = 1\n[a.b]", /line 2: "a" is already a value/],
    ["a = { b = 1 }", /inline tables are not supported/],
    ['a = """x"""', /multi-line strings are not supported/],
    ["[[servers]]", /arrays of tables are not supported/],
    ["a = 1 2", /unexpected "2"/],
    ["a = [1,\n2]", /arrays must fit on one line/],
  ])("rejects %j", (text, message) => {
    expect(() => parseTomlSubset(text)).toThrow(message);
  });

  it("round-trips any basic string written with escapes", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const escaped = JSON.stringify(value);
        expect(parseTomlSubset(`k = ${escaped}`)).toEqual({ k: value });
      }),
    );
  });
});
