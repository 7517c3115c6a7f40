import { AWS_DEFAULT_IOT_QUOTAS } from "../../../src/faults/aws-default-quotas";
import { FaultInjector } from "../../../src/faults/fault-injector";
import { FaultRulesError, parseFaultRules } from "../../../src/faults/fault-rules";
import { quotaRulesOf } from "../../../src/faults/quota-rules";

const messageOf = (text: string): string => {
  try {
    parseFaultRules(text);
    return "accepted";
  } catch (error) {
    expect(error).toBeInstanceOf(FaultRulesError);
    return (error as Error).message;
  }
};

/** The operations of AWS IoT the product calls (its adapters' SDK commands), each of which the profile limits. */
const PRODUCT_OPERATIONS = `
  CreateThing UpdateThing DeleteThing DescribeThing ListThings ListThingPrincipals
  ListPrincipalThings AttachThingPrincipal DetachThingPrincipal CreateThingGroup UpdateThingGroup
  DeleteThingGroup DescribeThingGroup ListThingGroups ListThingGroupsForThing ListThingsInThingGroup
  AddThingToThingGroup RemoveThingFromThingGroup CreateThingType DescribeThingType DeprecateThingType
  DeleteThingType ListThingTypes UpdateThingType DescribeEndpoint RegisterCertificateWithoutCA
  DescribeCertificate UpdateCertificate DeleteCertificate ListCertificates CreatePolicy GetPolicy
  CreatePolicyVersion DeletePolicyVersion ListPolicyVersions DeletePolicy ListPolicies AttachPolicy
  DetachPolicy ListAttachedPolicies ListTargetsForPolicy GetThingShadow UpdateThingShadow
  DeleteThingShadow ListNamedShadowsForThing Publish
`
  .trim()
  .split(/\s+/);

describe("quota rules", () => {
  it("parses the issue's example; burst defaults to one second's worth, and to one call below 1 tps", () => {
    expect(
      parseFaultRules('{"quotas": [{"service": "iot", "region": "us-west-2", "operation": "CreateThing", "tps": 15}]}').quotas,
    ).toEqual([{ service: "iot", region: "us-west-2", operation: "CreateThing", tps: 15, burst: 15 }]);
    expect(parseFaultRules('{"quotas": [{"service": "sqs", "tps": 0.5}, {"service": "iot", "tps": 2, "burst": 40}]}').quotas).toEqual([
      { service: "sqs", region: "*", operation: "*", tps: 0.5, burst: 1 },
      { service: "iot", region: "*", operation: "*", tps: 2, burst: 40 },
    ]);
  });

  it("rejects bad quota rules with one line naming what is wrong", () => {
    expect(messageOf('{"quotas": {}}')).toBe("quotas: must be a list");
    expect(messageOf('{"quotas": [{"service": "iot"}]}')).toBe("quotas[0].tps: is missing");
    expect(messageOf('{"quotas": [{"service": "iot", "tps": 0}]}')).toBe(
      "quotas[0].tps: must be a number of requests per second > 0, got 0",
    );
    expect(messageOf('{"quotas": [{"service": "iot", "tps": "15"}]}')).toBe(
      'quotas[0].tps: must be a number of requests per second > 0, got "15"',
    );
    expect(messageOf('{"quotas": [{"service": "iot", "tps": 5, "burst": 0.5}]}')).toBe(
      "quotas[0].burst: must be a number of requests >= 1, got 0.5",
    );
    expect(messageOf('{"quotas": [{"service": "s3", "tps": 5}]}')).toBe(
      "quotas[0].service: unknown service 's3' (known: iot, iotdata, dynamodb, sqs, ssm, lambda)",
    );
    expect(messageOf('{"quotas": [{"service": "iot", "operation": "create-thing", "tps": 5}]}')).toBe(
      "quotas[0].operation: must be an API operation name such as CreateThing, or *, got 'create-thing'",
    );
    expect(messageOf('{"quotas": [{"service": "iot", "tps": 5, "rate": 5}]}')).toBe(
      "quotas[0]: unknown key 'rate' (known: service, region, operation, tps, burst)",
    );
    expect(messageOf('{"quotaProfile": "aws-defaults"}')).toBe("quotaProfile: unknown profile 'aws-defaults' (known: aws-default)");
    expect(messageOf('{"quotaProfile": {"name": "aws-default", "regions": []}}')).toBe(
      "quotaProfile.regions: must name at least one region (leave it out for every region)",
    );
    expect(messageOf('{"quotaProfile": {"name": "aws-default", "region": "us-west-2"}}')).toBe(
      "quotaProfile: unknown key 'region' (known: name, regions)",
    );
    expect(messageOf('{"quotaProfile": 1}')).toBe("quotaProfile: must be a profile name or an object with name and regions");
  });

  it("expands the aws-default profile to one rule per operation, for every region or the named ones, after the listed rules", () => {
    const everywhere = parseFaultRules('{"quotaProfile": "aws-default"}');
    expect(everywhere.quotaProfile).toEqual({ name: "aws-default" });
    const rules = quotaRulesOf(everywhere);
    expect(rules).toHaveLength(AWS_DEFAULT_IOT_QUOTAS.length);
    expect(rules).toContainEqual({ service: "iot", region: "*", operation: "CreateThing", tps: 100, burst: 100 });
    expect(rules).toContainEqual({ service: "iotdata", region: "*", operation: "GetThingShadow", tps: 4000, burst: 4000 });
    const twoRegions = parseFaultRules(
      '{"quotas": [{"service": "iot", "operation": "CreateThing", "tps": 15}], "quotaProfile": {"name": "aws-default", "regions": ["us-west-2", "eu-west-1"]}}',
    );
    const expanded = quotaRulesOf(twoRegions);
    expect(expanded).toHaveLength(1 + 2 * AWS_DEFAULT_IOT_QUOTAS.length);
    expect(expanded[0]).toEqual({ service: "iot", region: "*", operation: "CreateThing", tps: 15, burst: 15 });
    expect(new Set(expanded.slice(1).map((rule) => rule.region))).toEqual(new Set(["us-west-2", "eu-west-1"]));
  });

  it("has a number with its source for every AWS IoT operation the product calls, confirmed only where it was read", () => {
    const operations = AWS_DEFAULT_IOT_QUOTAS.map((quota) => quota.operation);
    expect(new Set(operations).size).toBe(operations.length);
    expect([...operations].sort()).toEqual([...PRODUCT_OPERATIONS].sort());
    for (const quota of AWS_DEFAULT_IOT_QUOTAS) {
      expect(quota.tps).toBeGreaterThan(0);
      expect(quota.source).toMatch(
        quota.confirmed ? /^Service Quotas iotcore default|thingpress doc\/aws-api-limits.md/ : /not confirmed from a stored source$/,
      );
    }
    const tps = Object.fromEntries(AWS_DEFAULT_IOT_QUOTAS.map((quota) => [quota.operation, quota.tps]));
    expect(tps).toMatchObject({ CreateThing: 100, DescribeThing: 350, ListThings: 10, CreateThingGroup: 25, UpdateThingGroup: 15 });
    expect(tps).toMatchObject({ AttachPolicy: 15, RegisterCertificateWithoutCA: 10, DescribeCertificate: 10, GetPolicy: 10 });
  });
});

describe("quotas in the fault injector", () => {
  it("throttles calls over the quota from the clock it is given, and starts the buckets and counters again with new rules", () => {
    const rules = parseFaultRules('{"quotas": [{"service": "iot", "region": "us-west-2", "operation": "CreateThing", "tps": 5}]}');
    const faults = new FaultInjector(rules, 0);
    const over = (now: number) => faults.overQuota("iot", "us-west-2", "CreateThing", now);
    expect(Array.from({ length: 20 }, () => over(1_000)).filter(Boolean)).toHaveLength(15);
    expect(faults.overQuota("iot", "us-west-2", "DescribeThing", 1_000)).toBe(false);
    expect(faults.overQuota("iot", "us-east-1", "CreateThing", 1_000)).toBe(false);
    expect(over(1_199)).toBe(true);
    expect(over(1_200)).toBe(false);
    expect(faults.report().quotas).toEqual([
      {
        service: "iot",
        region: "us-west-2",
        operation: "CreateThing",
        tps: 5,
        burst: 5,
        granted: 6,
        throttled: 16,
        firstGrantedAt: 1_000,
        lastGrantedAt: 1_200,
      },
    ]);
    // Faults of other kinds are not counted for quotas.
    expect(faults.report().injected.throttle).toBe(0);
    faults.apply(rules, 2_000);
    expect(faults.report().quotas).toEqual([]);
    expect(Array.from({ length: 20 }, () => over(2_000)).filter(Boolean)).toHaveLength(15);
  });
});
