import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { useLocalAws } from "../../src/testing/local-aws-fixture";

const run = promisify(execFile);
const aws = useLocalAws(["us-east-1"]);
let cliAvailable = false;

/** Runs the AWS CLI against the local endpoint and parses its JSON answer. */
const cli = async (...args: string[]): Promise<Record<string, unknown>> => {
  const { stdout } = await run("aws", [...args, "--endpoint-url", aws.local().url, "--region", "us-east-1", "--output", "json"], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: "cli",
      AWS_SECRET_ACCESS_KEY: "cli",
      AWS_PAGER: "",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    },
  });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
};

beforeAll(async () => {
  cliAvailable = await run("aws", ["--version"]).then(
    () => true,
    () => false,
  );
});

/** The AWS CLI is a second real client (its own signer and parsers); the suite uses it where the machine has it. */
describe("the local endpoint through the AWS CLI", () => {
  const whenCli = (name: string, body: () => Promise<void>) =>
    it(name, async () => {
      if (!cliAvailable) {
        console.warn(`skipped (no aws CLI on this machine): ${name}`);
        return;
      }
      await body();
    });

  whenCli("iot: create, describe and list things; a missing thing is ResourceNotFoundException", async () => {
    await cli("iot", "create-thing", "--thing-name", "CliBulb", "--attribute-payload", '{"attributes":{"color":"red"}}');
    expect(await cli("iot", "describe-thing", "--thing-name", "CliBulb")).toMatchObject({
      thingName: "CliBulb",
      version: 1,
      attributes: { color: "red" },
    });
    expect(((await cli("iot", "list-things")) as { things: { thingName: string }[] }).things.map((thing) => thing.thingName)).toContain(
      "CliBulb",
    );
    await expect(cli("iot", "describe-thing", "--thing-name", "Nope")).rejects.toThrow(/ResourceNotFoundException/);
  });

  whenCli("sqs: create a queue, send and receive", async () => {
    const { QueueUrl } = (await cli("sqs", "create-queue", "--queue-name", "cli-queue")) as { QueueUrl: string };
    await cli("sqs", "send-message", "--queue-url", QueueUrl, "--message-body", "hello");
    const { Messages } = (await cli("sqs", "receive-message", "--queue-url", QueueUrl)) as { Messages: { Body: string }[] };
    expect(Messages[0]?.Body).toBe("hello");
  });

  whenCli("ssm: a SecureString comes back decrypted only when asked", async () => {
    await cli("ssm", "put-parameter", "--name", "/cli/secret", "--value", "s3cret", "--type", "SecureString");
    const plain = (await cli("ssm", "get-parameter", "--name", "/cli/secret", "--with-decryption")) as { Parameter: { Value: string } };
    const sealed = (await cli("ssm", "get-parameter", "--name", "/cli/secret")) as { Parameter: { Value: string } };
    expect(plain.Parameter.Value).toBe("s3cret");
    expect(sealed.Parameter.Value).not.toBe("s3cret");
  });

  whenCli("dynamodb: create a table and read an item back", async () => {
    await cli(
      "dynamodb",
      "create-table",
      "--table-name",
      "CliTable",
      "--attribute-definitions",
      "AttributeName=k,AttributeType=S",
      "--key-schema",
      "AttributeName=k,KeyType=HASH",
      "--billing-mode",
      "PAY_PER_REQUEST",
    );
    await cli("dynamodb", "put-item", "--table-name", "CliTable", "--item", '{"k":{"S":"1"},"v":{"N":"42"}}');
    expect(await cli("dynamodb", "get-item", "--table-name", "CliTable", "--key", '{"k":{"S":"1"}}')).toEqual({
      Item: { k: { S: "1" }, v: { N: "42" } },
    });
  });
});
