import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { findProjectRoot, runRegistryCaptureDemo } from "local-cloud";
import { eventually, useLocalCloud } from "local-cloud/testing";

/**
 * The README's quick start, run as written and in order: after `npm start` (the cloud plus its demo),
 * the block marked `quick-start` goes through the AWS CLI (installed by `npm test` when missing) from a
 * clean shell. Only the endpoint's port differs: the test's cloud listens on a free one.
 */
const run = promisify(execFile);
const readme = readFileSync(join(findProjectRoot(), "README.md"), "utf8");
const block = /<!-- quick-start[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme)?.[1];
const deviceBlock = /<!-- device-quick-start[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme)?.[1];
const local = useLocalCloud();

beforeAll(async () => {
  await runRegistryCaptureDemo(local.cloud(), () => undefined);
});

const shell = (script: string, cwd?: string) =>
  run("bash", ["-euo", "pipefail", "-c", script.replaceAll("http://127.0.0.1:4566", local.cloud().aws.url)], {
    ...(cwd ? { cwd } : {}),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_PAGER: "",
    },
  });

test("the README's quick start runs as written: the new thing shows up in the other region's replica", async () => {
  expect(block).toBeDefined();
  const commands = (block ?? "")
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "");
  expect(commands[commands.length - 1]).toContain("aws dynamodb scan");
  await shell(commands.join("\n"));

  const credentials = commands.filter((line) => line.startsWith("export "));
  const scan = [...credentials, commands[commands.length - 1]].join("\n");
  const found = await eventually(
    async () => JSON.parse((await shell(scan)).stdout) as { Items: { ThingName: { S: string }; AWSRegion: { S: string } }[] },
    (answer) => answer.Items.some((item) => item.ThingName.S === "MyLightBulb7"),
  );
  const things = found.Items.map((item) => `${item.ThingName.S}@${item.AWSRegion.S}`).sort();
  expect(things).toEqual(["MyLightBulb5@us-east-1", "MyLightBulb6@eu-west-1", "MyLightBulb7@us-east-1"]);
});

test("the README's device block runs as written: the device's own query is answered, asking about testThing disconnects it", async () => {
  expect(deviceBlock).toBeDefined();
  const responses: string[] = [];
  const stop = local.cloud().aws.hub.subscribe("us-east-1", "response/query/+", (topic, payload) => {
    responses.push(`${topic} ${payload.toString()}`);
  });
  // npx finds the project's mqtt CLI from any folder inside the project; the device's files go to a scratch one.
  const scratch = mkdtempSync(join(findProjectRoot(), ".local-cloud", "readme-device-"));
  try {
    const script = (deviceBlock ?? "").replaceAll("-p 8883", `-p ${local.cloud().aws.hub.tlsPortFor("us-east-1")}`);
    const { stderr } = await shell(script, scratch);
    expect(stderr).not.toMatch(/Error/);
    await eventually(
      async () => responses,
      (seen) => seen.includes('response/query/myDevice-1 {"error":"No messages available","uuid":"myDevice"}'),
    );
    expect(local.activity.join("\n")).toContain(
      "refused PUBLISH and disconnected the client, as AWS IoT does over MQTT 3.1.1: client 'myDevice'",
    );
    expect(responses.filter((line) => line.startsWith("response/query/myDevice-2"))).toEqual([]);
  } finally {
    stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
