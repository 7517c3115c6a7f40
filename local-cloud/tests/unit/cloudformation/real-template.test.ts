import { join } from "node:path";
import { readTemplate } from "../../../src/cloudformation/read-template";
import { type ResolvedTemplate, resolveTemplate } from "../../../src/cloudformation/resolve-template";
import { describeSamFunction } from "../../../src/cloudformation/sam-function-events";
import { applySamGlobals } from "../../../src/cloudformation/sam-globals";
import { type RegionConfigEnv, readSamConfig, regionConfigs } from "../../../src/cloudformation/samconfig";

const root = join(__dirname, "../../../..");
const template = applySamGlobals(readTemplate(join(root, "template.yaml")));
const envs = regionConfigs(readSamConfig(join(root, "samconfig.toml")));
const ACCOUNT = "000000000000";

const deploy = (env: RegionConfigEnv): ResolvedTemplate =>
  resolveTemplate(template, {
    region: env.region,
    accountId: ACCOUNT,
    stackName: env.stackName,
    parameters: env.parameterOverrides,
    physicalIds: (logicalId) => `${env.stackName}-${logicalId}`,
    attributes: (logicalId, attribute) => `arn:aws:local:${env.region}:${ACCOUNT}:${logicalId}/${attribute}`,
  });

const envNamed = (name: string): RegionConfigEnv => {
  const env = envs.find((candidate) => candidate.name === name);
  if (!env) throw new Error(`samconfig.toml has no ${name}`);
  return env;
};

describe("template.yaml deployed with each samconfig.toml config-env", () => {
  it("has one config-env per region", () => {
    expect(envs.map((env) => [env.name, env.region])).toEqual([
      ["us-east-1-config", "us-east-1"],
      ["eu-west-1-config", "eu-west-1"],
      ["us-west-2-config", "us-west-2"],
    ]);
  });

  it.each(envs.map((env) => [env.name, env] as const))("resolves every resource of %s, each after those it references", (_name, env) => {
    const order = deploy(env).resources.map((resource) => resource.logicalId);
    expect(order.indexOf("CaptureDeadLetterQueue")).toBeLessThan(order.indexOf("RegistryEventsQueue"));
    expect(order.indexOf("RegistryEventsRuleRole")).toBeLessThan(order.indexOf("RegistryEventsRule"));
    expect(order.indexOf("RegistryEventsQueue")).toBeLessThan(order.indexOf("CaptureRegistryEventFunction"));
  });

  it("us-east-1-config creates the global table with replicas in us-east-1, eu-west-1 and us-west-2", () => {
    const resolved = deploy(envNamed("us-east-1-config"));
    expect(resolved.conditions).toMatchObject({
      IsTableCreator: true,
      HasReplica1: true,
      HasReplica2: true,
      HasReplica3: false,
      HasAlarmTopic: false,
    });
    const table = resolved.resources.find((resource) => resource.logicalId === "ReplicaTable");
    expect(table?.type).toBe("AWS::DynamoDB::GlobalTable");
    expect(table?.properties.TableName).toBe("IoTFleetRegistryReplica");
    const replicas = table?.properties.Replicas as { Region: string }[];
    expect(replicas.map((replica) => replica.Region)).toEqual(["us-east-1", "eu-west-1", "us-west-2"]);
    expect(replicas[1]).toEqual({ Region: "eu-west-1", PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  });

  it.each(["eu-west-1-config", "us-west-2-config"])("%s does not create the global table", (name) => {
    const resolved = deploy(envNamed(name));
    expect(resolved.conditions.IsTableCreator).toBe(false);
    expect(resolved.resources.map((resource) => resource.logicalId)).not.toContain("ReplicaTable");
  });

  it("gives the capture function its environment, handler and SQS event source", () => {
    const env = envNamed("eu-west-1-config");
    const resource = deploy(env).resources.find((candidate) => candidate.logicalId === "CaptureRegistryEventFunction");
    if (!resource) throw new Error("capture function not deployed");
    const capture = describeSamFunction(resource);
    expect(capture.handler).toEqual({ entryPoint: "src/handlers/capture-registry-event.ts", exportName: "handler" });
    expect(capture.timeoutSeconds).toBe(30);
    expect(capture.memorySizeMb).toBe(256);
    expect(capture.runtime).toBe("nodejs22.x");
    expect(capture.environment).toEqual({
      POWERTOOLS_LOG_LEVEL: "INFO",
      POWERTOOLS_METRICS_NAMESPACE: "IoTFleetReplicator",
      NODE_OPTIONS: "--enable-source-maps",
      REPLICA_TABLE_NAME: "IoTFleetRegistryReplica",
      CAPTURE_DLQ_URL: "iot-fleet-replicator-CaptureDeadLetterQueue",
      TOMBSTONE_TTL_DAYS: "30",
      POWERTOOLS_SERVICE_NAME: "registry-capture",
    });
    expect(capture.events).toEqual([
      {
        kind: "SQS",
        name: "RegistryEvents",
        queueArn: `arn:aws:local:eu-west-1:${ACCOUNT}:RegistryEventsQueue/Arn`,
        batchSize: 25,
        maximumBatchingWindowInSeconds: 1,
        functionResponseTypes: ["ReportBatchItemFailures"],
        enabled: true,
        filterPatterns: [],
      },
    ]);
    const statements = (resource.properties.Policies as { Statement: { Resource: unknown }[] }[])[0]?.Statement;
    expect(statements?.[0]?.Resource).toBe(`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/IoTFleetRegistryReplica`);
  });

  it("drops the alarm actions when no alarm topic is configured, and keeps them when one is", () => {
    const env = envNamed("us-west-2-config");
    const alarmOf = (resolved: ResolvedTemplate) =>
      resolved.resources.find((resource) => resource.logicalId === "CaptureDeadLetterAlarm")?.properties;
    expect(alarmOf(deploy(env))).not.toHaveProperty("AlarmActions");
    const withTopic = deploy({
      ...env,
      parameterOverrides: { ...env.parameterOverrides, AlarmTopicArn: "arn:aws:sns:us-west-2:1:alarms" },
    });
    expect(alarmOf(withTopic)?.AlarmActions).toEqual(["arn:aws:sns:us-west-2:1:alarms"]);
  });

  it("rejects more replica regions than the template allows, naming the parameter", () => {
    const env = envNamed("us-east-1-config");
    const tooMany = {
      ...env,
      parameterOverrides: { ...env.parameterOverrides, ReplicaRegions: "a-b-1,a-b-2,a-b-3,a-b-4,a-b-5,a-b-6,a-b-7" },
    };
    expect(() => deploy(tooMany)).toThrow(/template parameter ReplicaRegions: .* does not match AllowedPattern/);
  });
});
