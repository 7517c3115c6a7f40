import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configEnvRoles, redeployOrder, swapPrimaryRegion } from "../../../../src/domain/failover/samconfig-primary";

const SAMCONFIG = `# deploy each region
version = 0.1

[default.global.parameters]
stack_name = "iot-fleet-replicator"

[us-east-1-config.deploy.parameters]
region = "us-east-1"
parameter_overrides = "CreateGlobalTable=true ReplicaRegions=eu-west-1,us-west-2 PrimaryRegion=us-east-1 TombstoneTtlDays=30"

[eu-west-1-config.deploy.parameters]
region = "eu-west-1"
parameter_overrides = "CreateGlobalTable=false PrimaryRegion=\\"us-east-1\\" TombstoneTtlDays=30"

[us-west-2-config.deploy.parameters]
region = "us-west-2"
parameter_overrides = "PrimaryRegion=us-east-1"
`;

describe("swapPrimaryRegion", () => {
  it("sets PrimaryRegion to the target in every config-env and changes nothing else", () => {
    const swap = swapPrimaryRegion(SAMCONFIG, "us-west-2")._unsafeUnwrap();
    expect(swap.previousPrimary).toBe("us-east-1");
    expect(swap.changes).toEqual([
      {
        line: 9,
        before:
          'parameter_overrides = "CreateGlobalTable=true ReplicaRegions=eu-west-1,us-west-2 PrimaryRegion=us-east-1 TombstoneTtlDays=30"',
        after:
          'parameter_overrides = "CreateGlobalTable=true ReplicaRegions=eu-west-1,us-west-2 PrimaryRegion=us-west-2 TombstoneTtlDays=30"',
      },
      {
        line: 13,
        before: 'parameter_overrides = "CreateGlobalTable=false PrimaryRegion=\\"us-east-1\\" TombstoneTtlDays=30"',
        after: 'parameter_overrides = "CreateGlobalTable=false PrimaryRegion=\\"us-west-2\\" TombstoneTtlDays=30"',
      },
      { line: 17, before: 'parameter_overrides = "PrimaryRegion=us-east-1"', after: 'parameter_overrides = "PrimaryRegion=us-west-2"' },
    ]);
    const before = SAMCONFIG.split("\n");
    const after = swap.text.split("\n");
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, index) => line !== before[index])).toHaveLength(3);
    expect(configEnvRoles(swap.text).map((role) => role.primaryRegion)).toEqual(["us-west-2", "us-west-2", "us-west-2"]);
  });

  it("swaps back to the original text", () => {
    const there = swapPrimaryRegion(SAMCONFIG, "eu-west-1")._unsafeUnwrap().text;
    expect(swapPrimaryRegion(there, "us-east-1")._unsafeUnwrap().text).toBe(SAMCONFIG);
  });

  it("refuses the primary itself, a region no config-env deploys, and a file without DR or with disagreeing envs", () => {
    expect(swapPrimaryRegion(SAMCONFIG, "us-east-1")._unsafeUnwrapErr()).toBe("us-east-1 is already the primary region");
    expect(swapPrimaryRegion(SAMCONFIG, "ap-south-1")._unsafeUnwrapErr()).toBe(
      "ap-south-1 is not a region of any config-env (regions: us-east-1, eu-west-1, us-west-2)",
    );
    expect(
      swapPrimaryRegion(
        SAMCONFIG.replace('parameter_overrides = "PrimaryRegion=us-east-1"', 'parameter_overrides = "X=1"'),
        "eu-west-1",
      )._unsafeUnwrapErr(),
    ).toBe("PrimaryRegion is not set in the parameter_overrides of us-west-2-config: disaster recovery is not configured there");
    expect(
      swapPrimaryRegion(SAMCONFIG.replace('"PrimaryRegion=us-east-1"', '"PrimaryRegion=eu-west-1"'), "us-west-2")._unsafeUnwrapErr(),
    ).toBe("the config-envs disagree on PrimaryRegion (us-east-1, eu-west-1): fix samconfig.toml first");
  });

  it("reads the project's own samconfig.toml", () => {
    const roles = configEnvRoles(readFileSync(join(__dirname, "..", "..", "..", "..", "samconfig.toml"), "utf8"));
    expect(roles.map((role) => role.region)).toEqual(["us-east-1", "eu-west-1", "us-west-2"]);
  });
});

describe("redeployOrder", () => {
  it("deploys the new primary first, the other secondaries next, the old primary last", () => {
    expect(redeployOrder(configEnvRoles(SAMCONFIG), "us-west-2", "us-east-1")).toEqual([
      "us-west-2-config",
      "eu-west-1-config",
      "us-east-1-config",
    ]);
  });
});
