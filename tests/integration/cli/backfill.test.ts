import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  IoTClient,
} from "@aws-sdk/client-iot";
import { UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { LOCAL_CREDENTIALS, useLocalAws } from "local-cloud/testing";
import { createReplicaTable } from "../../support/replica-table";

const aws = useLocalAws(["eu-west-1"]);
const root = join(__dirname, "..", "..", "..");
const workdir = mkdtempSync(join(tmpdir(), "backfill-cli-"));
const TABLE = "BackfillCli";

/** Runs `npm run backfill`'s command in a child process (asynchronously: the local endpoint lives in this one). */
const backfill = (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const { accessKeyId, secretAccessKey } = LOCAL_CREDENTIALS;
    const env = { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
    const command = [join(root, "src", "cli", "backfill.ts"), ...args];
    execFile(join(root, "node_modules", ".bin", "tsx"), command, { cwd: workdir, env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

/** The local registry and replica table of this file. */
const against = () => ["--region", "eu-west-1", "--endpoint-url", aws.local().url, "--table", TABLE];

/** A port nothing listens on: connecting to it is refused. */
const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  await createReplicaTable(aws.dynamodb("eu-west-1"), TABLE);
  const iot = new IoTClient({ region: "eu-west-1", endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS });
  for (const thingName of ["cli-1", "cli-2", "cli-3"]) await iot.send(new CreateThingCommand({ thingName }));
  iot.destroy();
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe("npm run backfill", () => {
  it("refuses a page size that is not a number, naming the flag, before doing anything", async () => {
    const run = await backfill(["--region", "eu-west-1", "--page-size", "abc"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('backfill: --page-size must be a whole number from 1 to 250, got "abc"');
    expect(run.stderr).toContain("usage: npm run backfill");
  });

  it("reports both each page's counts and the running totals, then removes its checkpoint", async () => {
    const checkpoint = join(workdir, "done.json");
    const run = await backfill([...against(), "--page-size", "2", "--checkpoint", checkpoint]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^page 2: 2 stored, 0 already newer, 0 rejected \(so far: 2 stored, 0 already newer, 0 rejected\)$/m);
    expect(run.stdout).toMatch(/^page 3: 1 stored, 0 already newer, 0 rejected \(so far: 3 stored, 0 already newer, 0 rejected\)$/m);
    expect(run.stdout).toContain("backfill of eu-west-1 complete: 3 stored, 0 already newer, 0 rejected");
    expect(existsSync(checkpoint)).toBe(false);
  });

  it("stops cleanly when the connection is refused, and mentions no checkpoint that was never written", async () => {
    const checkpoint = join(workdir, "refused.json");
    const refused = `http://127.0.0.1:${await closedPort()}`;
    const run = await backfill(["--region", "eu-west-1", "--endpoint-url", refused, "--checkpoint", checkpoint]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^backfill stopped: DependencyUnavailable: .*There is no checkpoint to resume from/m);
    expect(run.stderr).not.toContain(checkpoint);
    expect(run.stderr).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
  });

  it("stops for good at a malformed resume token, naming it and the file it came from", async () => {
    const checkpoint = join(workdir, "malformed.json");
    writeFileSync(checkpoint, JSON.stringify({ region: "eu-west-1", snapshotStartedAt: 1, resumeToken: "garbage" }));
    const run = await backfill([...against(), "--checkpoint", checkpoint]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('backfill stopped: InvalidEvent: resumeToken: "garbage" is not a resume token of this backfill.');
    expect(run.stderr).toContain(`delete that file to start the backfill over`);
    expect(readFileSync(checkpoint, "utf8")).toContain("garbage");
  });

  it("stops cleanly, exit code 1, when its checkpoint cannot be written", async () => {
    const checkpoint = join(workdir, "no-such-dir", "checkpoint.json");
    const run = await backfill([...against(), "--checkpoint", checkpoint]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^backfill stopped: DependencyUnavailable: could not be written: ENOENT/m);
    expect(run.stderr).toContain("There is no checkpoint to resume from");
    expect(run.stderr).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
  });

  it("copies certificates, policies and their attachments, and with --shadows the shadows, through the same reader as the sweep", async () => {
    const iot = new IoTClient({ region: "eu-west-1", endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS });
    const { certificateId, certificateArn } = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const policyDocument = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iot:Connect", Resource: "*" }],
    });
    await iot.send(new CreatePolicyCommand({ policyName: "CliPolicy", policyDocument }));
    await iot.send(new AttachPolicyCommand({ policyName: "CliPolicy", target: certificateArn }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: "cli-1", principal: certificateArn }));
    iot.destroy();
    const payload = new TextEncoder().encode(JSON.stringify({ state: { reported: { on: true } } }));
    await aws.iotData("eu-west-1").send(new UpdateThingShadowCommand({ thingName: "cli-2", payload }));

    const run = await backfill([...against(), "--shadows", "--checkpoint", join(workdir, "security.json")]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const status = async (entityKey: string) =>
      (
        await aws
          .dynamodb("eu-west-1")
          .send(new GetItemCommand({ TableName: TABLE, Key: { EntityKey: { S: entityKey }, AWSRegion: { S: "eu-west-1" } } }))
      ).Item?.["Status"]?.S;
    const keys = [
      `certificate#${certificateId}`,
      "policy#CliPolicy",
      `policyPrincipal#CliPolicy#${certificateId}`,
      `thingPrincipal#cli-1#${certificateId}`,
      "shadow#cli-2",
    ];
    expect(await Promise.all(keys.map(status))).toEqual(keys.map(() => "ACTIVE"));
  });
});
