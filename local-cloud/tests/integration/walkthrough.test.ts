import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { LOCAL_PARTITION_CREDENTIALS } from "../../src/endpoint/partition-credentials";
import { startLocalCloud } from "../../src/local-cloud";
import { findProjectRoot } from "../../src/project-root";
import { awsCliRunner, findAwsClis } from "../../src/testing/aws-cli-clients";
import { useLocalCloud } from "../../src/testing/local-cloud-fixture";
import { MUSIC_COLLECTION_WALKTHROUGH } from "../../src/walkthrough/music-collection";

/**
 * The table sync walkthrough's resources exist before the stacks are deployed: MusicCollection in
 * us-east-1 and in cn-northwest-1 (served although no config-env deploys a stack there), and the
 * aws-cn key pair as SecureStrings in us-east-1, which really opens the China table. Per-region
 * parameter overrides reach only their region's stack.
 */
const { cloud, activity } = useLocalCloud({
  walkthrough: MUSIC_COLLECTION_WALKTHROUGH,
  parameterOverrides: { LogLevel: "WARN" },
  regionParameterOverrides: { "us-east-1": { TombstoneTtlDays: "7" } },
});

const SOURCE = "us-east-1";
const TARGET = "cn-northwest-1";

describe("the MusicCollection walkthrough", () => {
  it("serves cn-northwest-1 beside the stack regions and seeds the table in both partitions before deploying", async () => {
    expect(cloud().servedRegions).toEqual(["us-east-1", "eu-west-1", "us-west-2", TARGET]);
    expect(cloud().regions.has(TARGET)).toBe(false);
    for (const region of [SOURCE, TARGET]) {
      const { Table } = await cloud()
        .clients(region)
        .dynamodb.send(new DescribeTableCommand({ TableName: "MusicCollection" }));
      expect(Table).toMatchObject({
        KeySchema: [
          { AttributeName: "Artist", KeyType: "HASH" },
          { AttributeName: "SongTitle", KeyType: "RANGE" },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
        TableArn: `arn:${region === TARGET ? "aws-cn" : "aws"}:dynamodb:${region}:000000000000:table/MusicCollection`,
      });
    }
    const health = (await (await fetch(`${cloud().aws.url}/_local/health`)).json()) as Record<string, unknown>;
    expect(health["walkthrough"]).toEqual({ name: MUSIC_COLLECTION_WALKTHROUGH.name, regions: [SOURCE, TARGET] });
    expect(activity.indexOf("MusicCollection walkthrough: table MusicCollection created in cn-northwest-1")).toBeGreaterThanOrEqual(0);
  });

  it("keeps the aws-cn key pair in us-east-1's SecureStrings target_ak / target_sk, and that pair opens the China table", async () => {
    const ssm = cloud().clients(SOURCE).ssm;
    const read = async (Name: string) => (await ssm.send(new GetParameterCommand({ Name, WithDecryption: true }))).Parameter;
    const accessKey = await read("target_ak");
    const secretKey = await read("target_sk");
    expect(accessKey?.Type).toBe("SecureString");
    expect(accessKey?.Value).toBe(LOCAL_PARTITION_CREDENTIALS["aws-cn"].accessKeyId);
    expect(secretKey?.Value).toBe(LOCAL_PARTITION_CREDENTIALS["aws-cn"].secretAccessKey);
    const encrypted = (await ssm.send(new GetParameterCommand({ Name: "target_sk" }))).Parameter?.Value;
    expect(encrypted).not.toBe(secretKey?.Value);

    const target = new DynamoDBClient({
      region: TARGET,
      endpoint: cloud().aws.url,
      credentials: { accessKeyId: accessKey?.Value ?? "", secretAccessKey: secretKey?.Value ?? "" },
    });
    try {
      const Key = { Artist: { S: "No One You Know" }, SongTitle: { S: "Call Me Today" } };
      await target.send(new PutItemCommand({ TableName: "MusicCollection", Item: { ...Key, AlbumTitle: { S: "Somewhat Famous" } } }));
      expect((await target.send(new GetItemCommand({ TableName: "MusicCollection", Key }))).Item?.["AlbumTitle"]).toEqual({
        S: "Somewhat Famous",
      });
    } finally {
      target.destroy();
    }
  });

  const { present } = findAwsClis();
  for (const cli of present)
    it(`${cli.name}: describe-table in both regions and get-parameter --with-decryption`, async () => {
      const source = awsCliRunner(cli, () => cloud().aws.url, SOURCE);
      const target = awsCliRunner(cli, () => cloud().aws.url, TARGET);
      for (const run of [source, target]) {
        const { Table } = await run.json<{ Table: { TableName: string; StreamSpecification: unknown } }>(
          "dynamodb",
          "describe-table",
          "--table-name",
          "MusicCollection",
        );
        expect(Table.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_IMAGE" });
      }
      const { Parameter } = await source.json<{ Parameter: { Value: string } }>(
        "ssm",
        "get-parameter",
        "--name",
        "target_ak",
        "--with-decryption",
      );
      expect(Parameter.Value).toBe(LOCAL_PARTITION_CREDENTIALS["aws-cn"].accessKeyId);
    });

  it("gives a region's stack its own parameter overrides, over the ones for every region", () => {
    const environmentOf = (region: string, variable: string): string[] =>
      [...(cloud().regions.get(region)?.functions.values() ?? [])]
        .map((fn) => fn.options.environment[variable])
        .filter((value): value is string => value !== undefined);
    expect(new Set(environmentOf("us-east-1", "TOMBSTONE_TTL_DAYS"))).toEqual(new Set(["7"]));
    expect(new Set(environmentOf("eu-west-1", "TOMBSTONE_TTL_DAYS"))).toEqual(new Set(["30"]));
    for (const region of ["us-east-1", "eu-west-1"])
      expect(new Set(environmentOf(region, "POWERTOOLS_LOG_LEVEL"))).toEqual(new Set(["WARN"]));
    expect(cloud().envs.find((env) => env.region === "us-east-1")?.parameterOverrides["TombstoneTtlDays"]).toBe("7");
  });

  it("gives the us-east-1 stack the walkthrough's Sync* parameters, its stream ARN read from the seeded table", async () => {
    const { Table } = await cloud()
      .clients(SOURCE)
      .dynamodb.send(new DescribeTableCommand({ TableName: "MusicCollection" }));
    expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/MusicCollection\/stream\//);
    expect(cloud().envs.find((env) => env.region === SOURCE)?.parameterOverrides).toMatchObject({
      SyncSourceTableName: "MusicCollection",
      SyncSourceStreamArn: Table?.LatestStreamArn,
      SyncTargetRegion: TARGET,
      SyncTargetTableName: "MusicCollection",
      SyncTargetAccessKeyParameter: "target_ak",
      SyncTargetSecretKeyParameter: "target_sk",
    });
    expect(cloud().regions.get(SOURCE)?.functions.has("SyncWriteChangesFunction")).toBe(true);
    expect(cloud().envs.find((env) => env.region === "eu-west-1")?.parameterOverrides["SyncSourceTableName"]).toBeUndefined();
    expect(cloud().regions.get("eu-west-1")?.functions.has("SyncWriteChangesFunction")).toBe(false);
  });

  it("refuses walkthrough stack parameters for a region with no stack, in one line, before starting anything", async () => {
    const started = startLocalCloud({
      projectRoot: findProjectRoot(),
      port: 0,
      mqttBasePort: 0,
      log: () => undefined,
      walkthrough: { ...MUSIC_COLLECTION_WALKTHROUGH, stackParameters: [{ region: TARGET, parameters: { LogLevel: "DEBUG" } }] },
    });
    await expect(started).rejects.toThrow(
      "MusicCollection walkthrough gives parameters to a stack in cn-northwest-1, where no config-env deploys one (stack regions: us-east-1, eu-west-1, us-west-2)",
    );
  });

  it("refuses per-region overrides for a region with no stack, in one line, before starting anything", async () => {
    const started = startLocalCloud({
      projectRoot: findProjectRoot(),
      port: 0,
      mqttBasePort: 0,
      log: () => undefined,
      regionParameterOverrides: { [TARGET]: { LogLevel: "DEBUG" } },
    });
    await expect(started).rejects.toThrow(
      "regionParameterOverrides names cn-northwest-1, where no config-env deploys a stack (stack regions: us-east-1, eu-west-1, us-west-2)",
    );
  });
});
