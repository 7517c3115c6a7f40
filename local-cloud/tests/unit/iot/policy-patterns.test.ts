import { compilePatternList, compilePolicyPattern } from "../../../src/iot/policy-patterns";

const matches = (pattern: string, value: string, variables: Record<string, string | undefined> = {}): boolean =>
  compilePolicyPattern(pattern, variables)?.test(value) ?? false;

describe("IoT policy patterns", () => {
  it("treats * as any characters, / included, and ? as exactly one", () => {
    expect(matches("arn:aws:iot:us-east-1:1:topic/*", "arn:aws:iot:us-east-1:1:topic/a/b/c")).toBe(true);
    expect(matches("arn:aws:iot:*:1:topic/a", "arn:aws:iot:eu-west-1:1:topic/a")).toBe(true);
    expect(matches("topic/request/*/x/*", "topic/request/get/x/m-1")).toBe(true);
    expect(matches("topic/request/*/x/*", "topic/request/query/x")).toBe(false);
    expect(matches("client/dev-?", "client/dev-7")).toBe(true);
    expect(matches("client/dev-?", "client/dev-")).toBe(false);
    expect(matches("client/dev-?", "client/dev-77")).toBe(false);
    expect(matches("*", "anything at all")).toBe(true);
  });

  it("matches whole strings only, case-sensitively, with regular expression characters taken literally", () => {
    expect(matches("topic/a", "topic/a/b")).toBe(false);
    expect(matches("topic/a", "xtopic/a")).toBe(false);
    expect(matches("topic/A", "topic/a")).toBe(false);
    expect(matches("topic/a.b(c)[d]", "topic/a.b(c)[d]")).toBe(true);
    expect(matches("topic/a.b", "topic/axb")).toBe(false);
    expect(compilePolicyPattern("iot:publish", {}, true)?.test("iot:Publish")).toBe(true);
  });

  it("keeps MQTT wildcards literal: a topicfilter resource names the filter, not the topics it matches", () => {
    expect(matches("topicfilter/sensors/+/temp", "topicfilter/sensors/+/temp")).toBe(true);
    expect(matches("topicfilter/sensors/+/temp", "topicfilter/sensors/a/temp")).toBe(false);
    expect(matches("topicfilter/sensors/#", "topicfilter/sensors/a")).toBe(false);
    expect(matches("topicfilter/sensors/*", "topicfilter/sensors/#")).toBe(true);
  });

  it("substitutes variables literally and matches nothing when one cannot be resolved", () => {
    const variables = { "iot:ClientId": "dev*1", "iot:Connection.Thing.ThingName": undefined };
    expect(matches("client/${iot:ClientId}", "client/dev*1", variables)).toBe(true);
    expect(matches("client/${iot:ClientId}", "client/devX1", variables)).toBe(false);
    expect(compilePolicyPattern("client/${iot:Connection.Thing.ThingName}", variables)).toBeUndefined();
    expect(compilePolicyPattern("client/${iot:Unknown}", variables)).toBeUndefined();
    expect(matches("topic/a${*}b${?}${$}", "topic/a*b?$")).toBe(true);
    expect(matches("topic/a${*}", "topic/ab")).toBe(false);
    expect(matches("topic/${unterminated", "topic/${unterminated")).toBe(true);
  });

  it("lists: any resolvable entry matches, and unresolved entries are reported", () => {
    const list = compilePatternList(["topic/${iot:Connection.Thing.ThingName}", "topic/shared/*"], { "iot:ClientId": "c" });
    expect(list.matches("topic/shared/x")).toBe(true);
    expect(list.matches("topic/c")).toBe(false);
    expect(list.unresolved).toEqual(["topic/${iot:Connection.Thing.ThingName}"]);
  });
});
