import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useLocalAws } from "local-cloud/testing";
import { createDynamoDbReplicaStore } from "../../../src/adapters/dynamodb-replica-store";
import { Origin, Rank } from "../../../src/domain/registry/ordering";
import { runOperatorCommand } from "../../support/operator-command";
import { createReplicaTable } from "../../support/replica-table";

const aws = useLocalAws(["us-east-1", "us-west-2"]);
const TABLE = "FailoverCli";
const workdir = mkdtempSync(join(tmpdir(), "failover-cli-"));
const samconfigPath = join(workdir, "samconfig.toml");
/** The project's samconfig.toml with disaster recovery configured (PrimaryRegion=us-east-1 everywhere). */
const SAMCONFIG = readFileSync(join(__dirname, "..", "..", "..", "samconfig.toml"), "utf8").replace(
  /^(parameter_overrides = ")(?!.*PrimaryRegion=)/gm,
  "$1PrimaryRegion=us-east-1 ",
);

/** The target's health check as its function URL answers it: 200, or 503 naming what failed. */
let healthy = true;
let health: Server;
let healthUrl: string;

beforeAll(async () => {
  await createReplicaTable(aws.dynamodb("us-west-2"), TABLE);
  const store = createDynamoDbReplicaStore(aws.dynamodb("us-west-2"), TABLE);
  for (const region of ["us-east-1", "us-west-2"])
    (
      await store.putIfNewer({
        entityType: "thing",
        entityName: "lamp",
        sourceRegion: region,
        status: "ACTIVE",
        stamp: { origin: Origin.Event, rank: Rank.Change, timestamp: 1000, eventId: region },
        capturedAt: region === "us-east-1" ? 1000 : 1250,
        fields: { ThingName: "lamp" },
      })
    )._unsafeUnwrap();
  health = createServer((_req, res) => {
    res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify(healthy ? { healthy: true } : { healthy: false, failure: "probe shadow write failed: throttled" }));
  });
  await new Promise<void>((resolve) => health.listen(0, "127.0.0.1", resolve));
  healthUrl = `http://127.0.0.1:${(health.address() as { port: number }).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => health.close(resolve));
  rmSync(workdir, { recursive: true, force: true });
});
beforeEach(() => {
  writeFileSync(samconfigPath, SAMCONFIG);
  healthy = true;
});

const failover = (...extra: string[]) =>
  runOperatorCommand("failover", [
    "--to",
    "us-west-2",
    "--samconfig",
    samconfigPath,
    "--table",
    TABLE,
    "--endpoint-url",
    aws.local().url,
    "--health-url",
    healthUrl,
    ...extra,
  ]);

describe("npm run failover", () => {
  it("shows the checks, the samconfig.toml diff, the redeploy order and the checks after, and changes nothing without --execute", async () => {
    const outcome = await failover();
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    const lines = outcome.stdout.split("\n");
    expect(lines[0]).toBe("failover us-east-1 -> us-west-2 (dry run)");
    expect(lines).toContain("  [pass] us-west-2 is a secondary of us-east-1 (config-env us-west-2-config)");
    expect(lines).toContain("  [pass] no drift us-east-1 -> us-west-2 (1 entities match)");
    expect(lines).toContain("  [pass] lag p50 250 ms, p99 250 ms over 1 changes, no backlog in us-west-2");
    expect(lines).toContain(`  [pass] us-west-2 is healthy (200 from ${healthUrl})`);
    expect(lines).toContain(`${samconfigPath}: PrimaryRegion us-east-1 -> us-west-2 in 3 config-envs`);
    expect(lines.filter((line) => line.startsWith("  + ")).every((line) => line.includes("PrimaryRegion=us-west-2"))).toBe(true);
    const deploys = lines.filter((line) => line.startsWith("  sam deploy"));
    expect(deploys.map((line) => line.split("#")[0]?.trim())).toEqual([
      "sam deploy --config-env us-west-2-config",
      "sam deploy --config-env eu-west-1-config",
      "sam deploy --config-env us-east-1-config",
    ]);
    expect(lines).toContain(`  npm run verify -- --primary us-west-2 --secondary us-east-1 --endpoint-url ${aws.local().url}`);
    expect(readFileSync(samconfigPath, "utf8")).toBe(SAMCONFIG);
  }, 60_000);

  it("with --execute writes samconfig.toml and says how the local cloud takes the change", async () => {
    const outcome = await failover("--execute");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`wrote ${samconfigPath}`);
    expect(outcome.stdout).toContain("restart `npm start`");
    const written = readFileSync(samconfigPath, "utf8");
    expect(written).not.toContain("PrimaryRegion=us-east-1");
    expect(written.match(/PrimaryRegion=us-west-2/g)).toHaveLength(3);
  }, 60_000);

  it("refuses to execute when the target is unhealthy, naming what failed, unless --force", async () => {
    healthy = false;
    const refused = await failover("--execute");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`  [FAIL] us-west-2 answers 503 from ${healthUrl}: probe shadow write failed: throttled`);
    expect(refused.stderr.trim()).toBe("failover refused: 1 check(s) failed (--force to fail over anyway)");
    expect(readFileSync(samconfigPath, "utf8")).toBe(SAMCONFIG);
    const forced = await failover("--execute", "--force");
    expect(forced.code).toBe(0);
    expect(readFileSync(samconfigPath, "utf8")).toContain("PrimaryRegion=us-west-2");
  }, 60_000);

  it("refuses a target that is already the primary", async () => {
    const outcome = await runOperatorCommand("failover", ["--to", "us-east-1", "--samconfig", samconfigPath]);
    expect([outcome.code, outcome.stderr.trim()]).toEqual([1, "failover: us-east-1 is already the primary region"]);
  }, 60_000);
});
