import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { findProjectRoot } from "local-cloud";
import {
  type AwsCli,
  eventually,
  findAwsClis,
  LOCAL_PARTITION_CREDENTIALS,
  MUSIC_COLLECTION_WALKTHROUGH,
  pathWithAwsCli,
  useLocalCloud,
} from "local-cloud/testing";

/**
 * The table sync walkthrough of issue 11 on the local cloud as `npm start` wires it (the walkthrough's
 * tables, SecureStrings and the us-east-1 stack's Sync* parameters): the issue's own put-item and
 * get-item, then an update and a delete, through every AWS CLI on the machine, each read back in
 * cn-northwest-1 (the aws-cn partition) with that partition's key pair, the only one it takes.
 * The commands are the README's block `table-sync-walkthrough`, checked to be there word for word.
 */
const run = promisify(execFile);
const local = useLocalCloud({ walkthrough: MUSIC_COLLECTION_WALKTHROUGH });
const { present, absent } = findAwsClis();
const ENDPOINT = "http://127.0.0.1:4566";
const KEY = `'{"Artist":{"S":"No One You Know"},"SongTitle":{"S":"Call Me Today"}}'`;
const CN_KEYS = LOCAL_PARTITION_CREDENTIALS["aws-cn"];

/** The issue's two commands, exactly; then the update and the delete; and the cn credentials for the read. */
const COMMANDS = {
  credentials: "export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local",
  put: `aws dynamodb put-item --table-name MusicCollection --item ${KEY} --region us-east-1 --endpoint-url ${ENDPOINT}`,
  get: `AWS_ACCESS_KEY_ID=${CN_KEYS.accessKeyId} AWS_SECRET_ACCESS_KEY=${CN_KEYS.secretAccessKey} aws dynamodb get-item --table-name MusicCollection --key ${KEY} --region cn-northwest-1 --endpoint-url ${ENDPOINT}`,
  update: `aws dynamodb update-item --table-name MusicCollection --key ${KEY} --update-expression "SET AlbumTitle = :album" --expression-attribute-values '{":album":{"S":"Louder Than Ever"}}' --region us-east-1 --endpoint-url ${ENDPOINT}`,
  delete: `aws dynamodb delete-item --table-name MusicCollection --key ${KEY} --region us-east-1 --endpoint-url ${ENDPOINT}`,
};
const ISSUE_GET = `aws dynamodb get-item --table-name MusicCollection --key ${KEY} --region cn-northwest-1 --endpoint-url ${ENDPOINT}`;

const readme = readFileSync(join(findProjectRoot(), "README.md"), "utf8");
const block = (/<!-- table-sync-walkthrough[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "").replace(/ *\\\n\s*/g, " ");

const shell = async (cli: AwsCli, command: string): Promise<string> =>
  (
    await run("bash", ["-euo", "pipefail", "-c", command.replaceAll(ENDPOINT, local.cloud().aws.url)], {
      env: {
        PATH: pathWithAwsCli(cli),
        HOME: process.env.HOME,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
      },
    })
  ).stdout;

type Item = Record<string, { S?: string }>;
/** The get-item in cn-northwest-1: the item, or undefined (the CLI prints nothing for a missing item). */
const targetItem = async (cli: AwsCli): Promise<Item | undefined> => {
  const out = await shell(cli, `${COMMANDS.credentials}\n${COMMANDS.get}`);
  return out.trim() === "" ? undefined : (JSON.parse(out) as { Item?: Item }).Item;
};

test("the README's walkthrough block holds the issue's commands, the get-item signed with the aws-cn key pair", () => {
  for (const command of Object.values(COMMANDS)) expect(block).toContain(command);
  expect(COMMANDS.get.endsWith(ISSUE_GET)).toBe(true);
});

for (const { name, reason } of absent)
  test.skip(`the table sync walkthrough with ${name}: not on this machine (${reason})`, () => undefined);

if (present.length > 0)
  test.each(present.map((cli) => ({ cli, name: cli.name })))(
    "with $name: put, update and delete in us-east-1 each reach cn-northwest-1's MusicCollection",
    async ({ cli }) => {
      await shell(cli, `${COMMANDS.credentials}\n${COMMANDS.put}`);
      const put = await eventually(
        () => targetItem(cli),
        (item) => item !== undefined && item["AlbumTitle"] === undefined,
      );
      expect(put?.["Artist"]?.S).toBe("No One You Know");
      expect(put?.["SongTitle"]?.S).toBe("Call Me Today");

      await shell(cli, `${COMMANDS.credentials}\n${COMMANDS.update}`);
      const updated = await eventually(
        () => targetItem(cli),
        (item) => item?.["AlbumTitle"]?.S === "Louder Than Ever",
      );
      expect(updated?.["SongTitle"]?.S).toBe("Call Me Today");

      await shell(cli, `${COMMANDS.credentials}\n${COMMANDS.delete}`);
      expect(
        await eventually(
          () => targetItem(cli),
          (item) => item === undefined,
        ),
      ).toBeUndefined();
    },
  );
