import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { IoTDataPlaneClient, UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { replicaTableName } from "local-cloud";
import { eventually, LOCAL_CREDENTIALS, useLocalCloud } from "local-cloud/testing";
import { runOperatorCommand } from "../support/operator-command";

const local = useLocalCloud();
const REGIONS = ["us-east-1", "eu-west-1", "us-west-2"];
const workdir = mkdtempSync(join(tmpdir(), "health-e2e-"));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

const healthUrl = (region: string): string => {
  const deployed = local.cloud().regions.get(region);
  const name = deployed?.functions.get("HealthCheckFunction")?.options.functionName ?? "";
  const url = deployed?.functionUrls.get(name)?.url;
  if (!url) throw new Error(`no health URL in ${region}`);
  return url;
};

const replicaItem = async (region: string, entityKey: string) =>
  (
    await local
      .cloud()
      .clients(region)
      .dynamodb.send(
        new GetItemCommand({ TableName: replicaTableName(local.cloud()), Key: { EntityKey: { S: entityKey }, AWSRegion: { S: region } } }),
      )
  ).Item;

describe("the health check, deployed from template.yaml", () => {
  it("answers 200 on every region's function URL, as Route 53 calls it", async () => {
    for (const region of REGIONS) {
      const response = await fetch(healthUrl(region), { headers: { "user-agent": "Amazon-Route53-Health-Check-Service" } });
      expect([region, response.status, response.headers.get("cache-control")]).toEqual([region, 200, "no-store"]);
      expect(await response.json()).toMatchObject({ healthy: true, region });
    }
  });

  it("keeps its probe shadow out of the replica, while a device's shadow after it is captured", async () => {
    const region = "us-east-1";
    expect((await fetch(healthUrl(region))).status).toBe(200);
    const data = new IoTDataPlaneClient({ region, endpoint: local.cloud().aws.url, credentials: LOCAL_CREDENTIALS });
    await data.send(
      new UpdateThingShadowCommand({
        thingName: "HealthMarker",
        payload: new TextEncoder().encode(JSON.stringify({ state: { reported: { on: true } } })),
      }),
    );
    data.destroy();
    await eventually(
      () => replicaItem(region, "shadow#HealthMarker"),
      (item) => item !== undefined,
      60_000,
    );
    expect(await replicaItem(region, "shadow#iot-fleet-replicator-health-probe#probe")).toBeUndefined();
  }, 90_000);

  it("is the URL `npm run failover` checks, found through the local cloud without --health-url", async () => {
    const samconfig = join(workdir, "samconfig.toml");
    writeFileSync(
      samconfig,
      readFileSync(join(__dirname, "..", "..", "samconfig.toml"), "utf8").replace(
        /^(parameter_overrides = ")(?!.*PrimaryRegion=)/gm,
        "$1PrimaryRegion=us-east-1 ",
      ),
    );
    const outcome = await runOperatorCommand("failover", [
      "--to",
      "eu-west-1",
      "--samconfig",
      samconfig,
      "--endpoint-url",
      local.cloud().aws.url,
    ]);
    expect(outcome.stdout).toContain(`  [pass] eu-west-1 is healthy (200 from ${healthUrl("eu-west-1")})`);
    expect(outcome.code).toBe(0);
  }, 60_000);
});
