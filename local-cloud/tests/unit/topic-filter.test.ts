import fc from "fast-check";
import { topicFilterProblem, topicMatches, topicSegment } from "../../src/mqtt/topic-filter";

describe("topicMatches", () => {
  it.each([
    ["a/b/c", "a/b/c", true],
    ["a/b/c", "a/b", false],
    ["a/b", "a/b/c", false],
    ["a/+/c", "a/x/c", true],
    ["a/+/c", "a/x/y/c", false],
    ["a/+", "a/", true],
    ["+/+", "/x", true],
    ["a/#", "a", true],
    ["a/#", "a/b/c/d", true],
    ["a/#", "ab/c", false],
    ["#", "anything/at/all", true],
    ["#", "$aws/events/thing/x/created", false],
    ["+/events/#", "$aws/events/thing/x/created", false],
    ["$aws/events/#", "$aws/events/thing/x/created", true],
    ["$aws/events/#", "$aws/things/x/shadow/update", false],
    ["$aws/things/+/shadow/update/documents", "$aws/things/lamp-1/shadow/update/documents", true],
    ["$aws/things/+/shadow/update/documents", "$aws/things/lamp-1/shadow/name/s/update/documents", false],
    ["$aws/things/+/shadow/name/+/update/documents", "$aws/things/lamp-1/shadow/name/cfg/update/documents", true],
    ["request/#", "request/get/123", true],
    ["request/#", "response/get/123", false],
    ["Case/Sensitive", "case/sensitive", false],
    ["a/#/b", "a/x/b", false],
    ["a/b#", "a/b#", false],
    ["a+/b", "a+/b", false],
    ["a/b", "", false],
  ])("%s matches %s: %s", (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it("a topic always matches itself and '#'-suffixed prefixes of itself when not starting with '$'", () => {
    const level = fc.stringMatching(/^[^/+#$]{0,6}$/);
    const topic = fc
      .array(level, { minLength: 1, maxLength: 6 })
      .map((levels) => levels.join("/"))
      .filter((t) => t.length > 0);
    fc.assert(
      fc.property(topic, fc.nat(), (t, cut) => {
        const levels = t.split("/");
        const prefix = levels.slice(0, cut % (levels.length + 1));
        expect(topicMatches(t, t)).toBe(true);
        expect(topicMatches([...prefix, "#"].join("/"), t)).toBe(true);
      }),
    );
  });

  it("'+' replacing any one level of a topic still matches it", () => {
    const level = fc.stringMatching(/^[a-z0-9]{1,5}$/);
    fc.assert(
      fc.property(fc.array(level, { minLength: 1, maxLength: 6 }), fc.nat(), (levels, at) => {
        const filter = levels.map((l, i) => (i === at % levels.length ? "+" : l)).join("/");
        expect(topicMatches(filter, levels.join("/"))).toBe(true);
      }),
    );
  });
});

describe("topicFilterProblem", () => {
  it.each([["a/b"], ["+"], ["#"], ["a/+/#"], ["$aws/events/#"]])("accepts %s", (filter) => {
    expect(topicFilterProblem(filter)).toBeUndefined();
  });

  it.each([
    ["", "must not be empty"],
    ["a/#/b", "'#' must be the whole last level"],
    ["a/b#", "'#' must be the whole last level"],
    ["a/x+", "'+' must be a whole level"],
  ])("rejects %j", (filter, message) => {
    expect(topicFilterProblem(filter)).toContain(message);
  });
});

describe("topicSegment", () => {
  it.each([
    ["$aws/events/thing/x/created", 1, "$aws"],
    ["$aws/events/thing/x/created", 3, "thing"],
    ["$aws/events/thing/x/created", 5, "created"],
    ["$aws/events/thing/x/created", 6, undefined],
    ["a/b", 0, undefined],
    ["a/b", -1, undefined],
    ["a/b", 1.5, undefined],
    ["a//b", 2, ""],
  ])("topicSegment(%s, %d) is %j", (topic, n, expected) => {
    expect(topicSegment(topic, n)).toBe(expected);
  });
});
