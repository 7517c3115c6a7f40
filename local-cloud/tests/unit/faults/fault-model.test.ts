import { FaultInjector } from "../../../src/faults/fault-injector";
import { FaultRulesError, NO_FAULTS, parseFaultRules } from "../../../src/faults/fault-rules";

const ISSUE_EXAMPLE =
  '{"seed": 7, "duplicate": 0.1, "reorderMs": 300, "throttle": [{"service": "iot", "region": "us-west-2", "operation": "*", "probability": 0.2}], "crash": 0.05, "unavailable": [{"region": "cn-northwest-1", "seconds": 30}]}';

const messageOf = (text: string): string => {
  try {
    parseFaultRules(text);
    return "accepted";
  } catch (error) {
    expect(error).toBeInstanceOf(FaultRulesError);
    return (error as Error).message;
  }
};

describe("fault rules", () => {
  it("parses the issue's example, filling the optional keys", () => {
    expect(parseFaultRules(ISSUE_EXAMPLE)).toEqual({
      seed: 7,
      duplicate: 0.1,
      reorderMs: 300,
      throttle: [{ service: "iot", region: "us-west-2", operation: "*", probability: 0.2 }],
      crash: 0.05,
      unavailable: [{ region: "cn-northwest-1", service: "*", seconds: 30 }],
      quotas: [],
    });
    expect(parseFaultRules("{}")).toEqual(NO_FAULTS);
    expect(parseFaultRules('{"throttle":[{"service":"sqs","probability":1}]}').throttle).toEqual([
      { service: "sqs", region: "*", operation: "*", probability: 1 },
    ]);
  });

  it("rejects bad input with one line naming what is wrong", () => {
    expect(messageOf("{seed: 7}")).toMatch(/^fault rules are not valid JSON: /);
    expect(messageOf("[]")).toBe("fault rules must be a JSON object, got a list");
    expect(messageOf('{"dupe": 0.1}')).toBe(
      "fault rules: unknown key 'dupe' (known: seed, duplicate, reorderMs, throttle, crash, unavailable, quotas, quotaProfile)",
    );
    expect(messageOf('{"duplicate": 1.5}')).toBe("duplicate: must be a probability between 0 and 1, got 1.5");
    expect(messageOf('{"reorderMs": -1}')).toBe("reorderMs: must be a whole number >= 0, got -1");
    expect(messageOf('{"throttle": {}}')).toBe("throttle: must be a list");
    expect(messageOf('{"throttle": [{"service": "s3", "probability": 1}]}')).toBe(
      "throttle[0].service: unknown service 's3' (known: iot, iotdata, dynamodb, sqs, ssm, lambda)",
    );
    expect(messageOf('{"throttle": [{"service": "iot"}]}')).toBe("throttle[0].probability: is missing");
    expect(messageOf('{"throttle": [{"service": "iot", "probability": 1, "kind": "x"}]}')).toBe(
      "throttle[0]: unknown key 'kind' (known: service, region, operation, probability)",
    );
    expect(messageOf('{"unavailable": [{"region": "eu-west-1"}]}')).toBe("unavailable[0].seconds: is missing");
    expect(messageOf('{"unavailable": [{"region": "", "seconds": 1}]}')).toBe("unavailable[0].region: must be a non-empty string");
  });
});

/** The same questions, in the same order, to an injector with the given rules. */
const decisions = (rules: string): unknown[] => {
  const faults = new FaultInjector(parseFaultRules(rules), 0);
  const answers: unknown[] = [];
  for (let i = 0; i < 200; i += 1) {
    answers.push(faults.shouldDuplicate("sqs"), faults.delayMs("registry-event"), faults.throttleFor("iot", "us-west-2", "CreateThing"));
    answers.push(faults.crashPoint("Capture", 10));
  }
  return answers;
};

describe("fault injector", () => {
  it("makes the same decisions for the same seed and sequence of questions, other ones for another seed", () => {
    expect(decisions(ISSUE_EXAMPLE)).toEqual(decisions(ISSUE_EXAMPLE));
    expect(decisions(ISSUE_EXAMPLE)).not.toEqual(decisions(ISSUE_EXAMPLE.replace('"seed": 7', '"seed": 8')));
  });

  it("fires each kind at about its probability and counts what it injected", () => {
    const faults = new FaultInjector(parseFaultRules(ISSUE_EXAMPLE), 0);
    let duplicates = 0;
    let throttles = 0;
    let crashes = 0;
    let maxDelay = 0;
    for (let i = 0; i < 10_000; i += 1) {
      if (faults.shouldDuplicate("topic-rule")) duplicates += 1;
      if (faults.throttleFor("iot", "us-west-2", "ListThings")) throttles += 1;
      const crashAfter = faults.crashPoint("Capture", 4);
      if (crashAfter !== undefined) {
        crashes += 1;
        expect(crashAfter).toBeGreaterThanOrEqual(0);
        expect(crashAfter).toBeLessThan(4);
      }
      maxDelay = Math.max(maxDelay, faults.delayMs("stream"));
    }
    expect(duplicates / 10_000).toBeCloseTo(0.1, 1);
    expect(throttles / 10_000).toBeCloseTo(0.2, 1);
    expect(crashes / 10_000).toBeCloseTo(0.05, 1);
    expect(maxDelay).toBeLessThanOrEqual(300);
    expect(maxDelay).toBeGreaterThan(250);
    const report = faults.report();
    expect(report.injected).toMatchObject({ duplicate: duplicates, throttle: throttles, crash: crashes });
    expect(report.detail).toMatchObject({
      "duplicate/topic-rule": duplicates,
      "throttle/iot/us-west-2": throttles,
      "crash/Capture": crashes,
    });
  });

  it("throttles only the service, region and operation a rule names", () => {
    const faults = new FaultInjector(
      parseFaultRules('{"throttle": [{"service": "dynamodb", "region": "eu-west-1", "operation": "PutItem", "probability": 1}]}'),
      0,
    );
    expect(faults.throttleFor("dynamodb", "eu-west-1", "PutItem")).toBe(true);
    expect(faults.throttleFor("dynamodb", "eu-west-1", "GetItem")).toBe(false);
    expect(faults.throttleFor("dynamodb", "us-east-1", "PutItem")).toBe(false);
    expect(faults.throttleFor("sqs", "eu-west-1", "PutItem")).toBe(false);
  });

  it("keeps a region unavailable for its seconds from when the rules were applied", () => {
    const faults = new FaultInjector(parseFaultRules('{"unavailable": [{"region": "cn-northwest-1", "seconds": 30}]}'), 1_000_000);
    expect(faults.isUnavailable("cn-northwest-1", "iot", 1_000_000)).toBe(true);
    expect(faults.isUnavailable("cn-northwest-1", "iot", 1_029_999)).toBe(true);
    expect(faults.isUnavailable("cn-northwest-1", "iot", 1_030_000)).toBe(false);
    expect(faults.isUnavailable("us-east-1", "iot", 1_000_000)).toBe(false);
    faults.apply(faults.rules, 2_000_000);
    expect(faults.isUnavailable("cn-northwest-1", "iot", 2_000_001)).toBe(true);
    expect(faults.report().injected.unavailable).toBe(3);
  });

  it("aims unavailability at one service of a region when the rule names it", () => {
    const faults = new FaultInjector(
      parseFaultRules('{"unavailable": [{"region": "cn-northwest-1", "service": "dynamodb", "seconds": 30}]}'),
      1_000_000,
    );
    expect(faults.isUnavailable("cn-northwest-1", "dynamodb", 1_000_000)).toBe(true);
    expect(faults.isUnavailable("cn-northwest-1", "sqs", 1_000_000)).toBe(false);
    expect(faults.isUnavailable("cn-northwest-1", undefined, 1_000_000)).toBe(false);
    expect(faults.isUnavailable("us-east-1", "dynamodb", 1_000_000)).toBe(false);
    expect(faults.report().detail).toEqual({ "unavailable/cn-northwest-1/dynamodb": 1 });
    expect(messageOf('{"unavailable": [{"region": "cn-northwest-1", "service": "s3", "seconds": 1}]}')).toBe(
      "unavailable[0].service: unknown service 's3' (known: iot, iotdata, dynamodb, sqs, ssm, lambda, or *)",
    );
  });

  it("injects nothing with no rules, and asks the PRNG nothing", () => {
    const faults = new FaultInjector();
    expect(faults.shouldDuplicate("sqs")).toBe(false);
    expect(faults.delayMs("sqs")).toBe(0);
    expect(faults.crashPoint("Capture", 3)).toBeUndefined();
    expect(faults.throttleFor("iot", "us-east-1", "CreateThing")).toBe(false);
    expect(Object.values(faults.report().injected)).toEqual([0, 0, 0, 0, 0]);
  });
});
