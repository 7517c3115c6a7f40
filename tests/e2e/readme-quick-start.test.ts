import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { findProjectRoot, runRegistryCaptureDemo } from "local-cloud";
import { type AwsCli, eventually, findAwsClis, pathWithAwsCli, useLocalCloud } from "local-cloud/testing";

/**
 * The README's quick start, run as written and in order: after `npm start` (the cloud plus its demo),
 * the block marked `quick-start` goes from a clean shell through every AWS CLI on the machine (v1 and
 * Debian's v2, both installed by `npm test` where it can), each in turn as `aws`. Only the endpoint's
 * port differs, and after the first CLI the new thing's name (so each CLI's thing must replicate anew).
 */
const run = promisify(execFile);
const readme = readFileSync(join(findProjectRoot(), "README.md"), "utf8");
const block = /<!-- quick-start[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme)?.[1];
const README_THING = "MyLightBulb7";
const deviceBlock = /<!-- device-quick-start[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme)?.[1];
const local = useLocalCloud();
const { present, absent } = findAwsClis();
/**
 * The demo's things, then each quick-start run's: the scan must list exactly these. samconfig.toml makes
 * us-east-1 the primary: its things are applied in the secondaries, whose capture records them too.
 */
const inEveryRegion = (thing: string): string[] => ["us-east-1", "eu-west-1", "us-west-2"].map((region) => `${thing}@${region}`);
const replicated = [...inEveryRegion("MyLightBulb5"), "MyLightBulb6@eu-west-1"];

beforeAll(async () => {
  await runRegistryCaptureDemo(local.cloud(), () => undefined);
});

const shell = (cli: AwsCli, script: string, cwd?: string) =>
  run("bash", ["-euo", "pipefail", "-c", script.replaceAll("http://127.0.0.1:4566", local.cloud().aws.url)], {
    ...(cwd ? { cwd } : {}),
    env: {
      PATH: pathWithAwsCli(cli),
      HOME: process.env.HOME,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_PAGER: "",
    },
  });

for (const { name, reason } of absent) test.skip(`the README's quick start with ${name}: not on this machine (${reason})`, () => undefined);

/** Each CLI in turn, v1 first; the first runs the block exactly as written. */
const runs = present.map((cli, index) => ({ cli, name: cli.name, thing: index === 0 ? README_THING : `${README_THING}V${cli.major}` }));

// Jest's `test.each` refuses an empty table: with no CLI at all, only the skips above remain.
if (runs.length > 0)
  test.each(runs)(
    "the README's quick start runs as written with $name: the new thing ($thing) shows up in the other region's replica",
    async ({ cli, thing }) => {
      expect(block).toBeDefined();
      const commands = (block ?? "")
        .replace(/\\\n\s*/g, " ")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => line.replaceAll(`--thing-name ${README_THING} `, `--thing-name ${thing} `));
      expect(commands.join("\n")).toContain(`--thing-name ${thing} `);
      expect(commands[commands.length - 1]).toContain("aws dynamodb scan");
      await shell(cli, commands.join("\n"));
      replicated.push(...inEveryRegion(thing));

      const credentials = commands.filter((line) => line.startsWith("export "));
      const scan = [...credentials, commands[commands.length - 1]].join("\n");
      const found = await eventually(
        async () => JSON.parse((await shell(cli, scan)).stdout) as { Items: { ThingName: { S: string }; AWSRegion: { S: string } }[] },
        (answer) =>
          JSON.stringify(answer.Items.map((item) => `${item.ThingName.S}@${item.AWSRegion.S}`).sort()) ===
          JSON.stringify([...replicated].sort()),
      );
      const things = found.Items.map((item) => `${item.ThingName.S}@${item.AWSRegion.S}`).sort();
      expect(things).toEqual([...replicated].sort());
    },
  );

const [deviceCli] = present;
(deviceCli ? test : test.skip)(
  "the README's device block runs as written: the device's own query is answered, asking about testThing disconnects it",
  async () => {
    expect(deviceBlock).toBeDefined();
    const responses: string[] = [];
    const stop = local.cloud().aws.hub.subscribe("us-east-1", "response/query/+", (topic, payload) => {
      responses.push(`${topic} ${payload.toString()}`);
    });
    // npx finds the project's mqtt CLI from any folder inside the project; the device's files go to a scratch one.
    // A scratch folder inside the project (ignored by git; nothing else creates .local-cloud any more).
    mkdirSync(join(findProjectRoot(), ".local-cloud"), { recursive: true });
    const scratch = mkdtempSync(join(findProjectRoot(), ".local-cloud", "readme-device-"));
    try {
      const script = (deviceBlock ?? "").replaceAll("-p 8883", `-p ${local.cloud().aws.hub.tlsPortFor("us-east-1")}`);
      const { stderr } = await shell(deviceCli!, script, scratch);
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
  },
);
