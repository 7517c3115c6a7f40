import { parseParameterOverrides, parseSamConfig, regionConfigs } from "../../../src/cloudformation/samconfig";

const SAMCONFIG = `
version = 0.1
[default.global.parameters]
stack_name = "default-stack"

[default.build.parameters]
cached = true

[eu-config.global.parameters]
stack_name = "from-global"
region = "eu-west-1"

[eu-config.deploy.parameters]
stack_name = "from-deploy"
parameter_overrides = "A=1 B=\\"x, y z\\" C='single quoted' D="

[list-config.deploy.parameters]
region = "cn-north-1"
stack_name = "listed"
parameter_overrides = ["A=1", "B=two"]
`;

describe("parseSamConfig", () => {
  it("reads every config-env, with deploy parameters winning over global ones", () => {
    expect(parseSamConfig(SAMCONFIG)).toEqual([
      { name: "default", region: undefined, stackName: "default-stack", parameterOverrides: {} },
      {
        name: "eu-config",
        region: "eu-west-1",
        stackName: "from-deploy",
        parameterOverrides: { A: "1", B: "x, y z", C: "single quoted", D: "" },
      },
      { name: "list-config", region: "cn-north-1", stackName: "listed", parameterOverrides: { A: "1", B: "two" } },
    ]);
  });

  it("rejects a stack name that is not a string", () => {
    expect(() => parseSamConfig("[e.deploy.parameters]\nstack_name = 3")).toThrow("[e] stack_name must be a string");
  });
});

describe("parseParameterOverrides", () => {
  it("reads Key=Value pairs, quoted values with commas, and the ParameterKey form", () => {
    expect(parseParameterOverrides(' Regions="eu-west-1,us-west-2"  Flag=true ParameterKey=Name,ParameterValue=a,b ')).toEqual({
      Regions: "eu-west-1,us-west-2",
      Flag: "true",
      Name: "a,b",
    });
  });

  it.each([["NoEquals"], ["=value"], ['A="open']])("rejects %j", (text) => {
    expect(() => parseParameterOverrides(text)).toThrow(/parameter_overrides/);
  });
});

describe("regionConfigs", () => {
  it("keeps only the envs that name a region", () => {
    expect(regionConfigs(parseSamConfig(SAMCONFIG)).map((env) => env.name)).toEqual(["eu-config", "list-config"]);
  });

  it("refuses a region without a stack name", () => {
    expect(() => regionConfigs(parseSamConfig('[x.deploy.parameters]\nregion = "us-east-1"'))).toThrow(
      "[x] has a region but no stack_name",
    );
  });
});
