import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
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
const local = useLocalCloud();

beforeAll(async () => {
  await runRegistryCaptureDemo(local.cloud(), () => undefined);
});

const shell = (script: string) =>
  run("bash", ["-euo", "pipefail", "-c", script.replaceAll("http://127.0.0.1:4566", local.cloud().aws.url)], {
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
