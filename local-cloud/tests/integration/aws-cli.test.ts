import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeEventConfigurationsCommand, DescribeThingCommand } from "@aws-sdk/client-iot";
import { GetThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { type AwsCli, awsCliRunner, findAwsClis } from "../../src/testing/aws-cli-clients";
import { useLocalAws } from "../../src/testing/local-aws-fixture";

/**
 * The contract checks with every generation of the AWS CLI on the machine, each its own signer and
 * parsers: the Python CLI v1 (IoT signed `iot`, SQS in awsJson1_0) and Debian's CLI v2 (IoT signed
 * `execute-api`, SQS in the query protocol, XML). Every check also reads or writes the same state with
 * SDK v3, the third client, so the three agree on one endpoint. A CLI the machine lacks is reported as
 * a skipped test with its name.
 */
const aws = useLocalAws(["us-east-1"]);
const { present, absent } = findAwsClis();
const scratch = mkdtempSync(join(tmpdir(), "aws-cli-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");
const errorLine = (code: string, operation: string) =>
  new RegExp(`An error occurred \\(${code.replaceAll(".", "\\.")}\\) when calling the ${operation} operation`);

for (const { name, reason } of absent) it.skip(`${name}: not on this machine (${reason})`, () => undefined);

/** The checks for one CLI (Jest's `describe.each` refuses an empty table: with no CLI, only the skips above remain). */
const contractChecks = (cli: AwsCli) => {
  const run = awsCliRunner(cli, () => aws.local().url);
  /** Names unique to this CLI: all CLIs share one endpoint. */
  const own = (base: string) => `${base}V${cli.major}`;

  it("iot: event configurations, create/describe/list things, a missing thing is ResourceNotFoundException", async () => {
    await run.json("iot", "update-event-configurations", "--event-configurations", '{"THING":{"Enabled":true}}');
    const configured = await aws.iot().send(new DescribeEventConfigurationsCommand({}));
    expect(configured.eventConfigurations?.["THING"]?.Enabled).toBe(true);

    const thingName = own("CliBulb");
    const created = await run.json<{ thingId: string }>(
      "iot",
      "create-thing",
      "--thing-name",
      thingName,
      "--attribute-payload",
      '{"attributes":{"color":"red"}}',
    );
    expect(await run.json("iot", "describe-thing", "--thing-name", thingName)).toMatchObject({
      thingName,
      thingId: created.thingId,
      version: 1,
      attributes: { color: "red" },
    });
    expect((await aws.iot().send(new DescribeThingCommand({ thingName }))).thingId).toBe(created.thingId);
    const listed = await run.json<{ things: { thingName: string }[] }>("iot", "list-things");
    expect(listed.things.map((thing) => thing.thingName)).toContain(thingName);
    expect(await run.error("iot", "describe-thing", "--thing-name", "Nope")).toMatch(
      errorLine("ResourceNotFoundException", "DescribeThing"),
    );
  });

  it("iot-data: update and get a thing shadow, a missing shadow is ResourceNotFoundException", async () => {
    const thingName = own("CliLamp");
    const answer = join(scratch, `${thingName}.json`);
    await run.json(
      "iot-data",
      "update-thing-shadow",
      "--thing-name",
      thingName,
      ...cli.rawBlobArgs,
      "--payload",
      '{"state":{"desired":{"on":true}}}',
      answer,
    );
    expect(JSON.parse(readFileSync(answer, "utf8"))).toMatchObject({ state: { desired: { on: true } }, version: 1 });

    const fromSdk = await aws.iotData().send(new GetThingShadowCommand({ thingName }));
    expect(JSON.parse(new TextDecoder().decode(fromSdk.payload))).toMatchObject({ state: { desired: { on: true } }, version: 1 });
    await run.json("iot-data", "get-thing-shadow", "--thing-name", thingName, answer);
    expect(JSON.parse(readFileSync(answer, "utf8"))).toMatchObject({ state: { desired: { on: true }, delta: { on: true } }, version: 1 });
    expect(await run.error("iot-data", "get-thing-shadow", "--thing-name", "Nope", answer)).toMatch(
      errorLine("ResourceNotFoundException", "GetThingShadow"),
    );
  });

  it("sqs: create a queue, send and receive with attributes across clients, delete, then NonExistentQueue", async () => {
    const { QueueUrl } = await run.json<{ QueueUrl: string }>("sqs", "create-queue", "--queue-name", own("cli-queue"));
    // XML-significant characters and a carriage return must survive the query protocol byte for byte.
    const body = 'from the CLI: <b> & "quotes"\r\nline two';
    const attributes = '{"kind":{"DataType":"String","StringValue":"greeting"},"n":{"DataType":"Number","StringValue":"7"}}';
    const sent = await run.json<{ MD5OfMessageBody: string; MD5OfMessageAttributes: string }>(
      "sqs",
      "send-message",
      "--queue-url",
      QueueUrl,
      "--message-body",
      body,
      "--message-attributes",
      attributes,
    );
    expect(sent.MD5OfMessageBody).toBe(md5(body));

    const sqs = aws.sqs();
    const viaSdk = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["All"] }));
    expect(viaSdk.Messages?.[0]).toMatchObject({
      Body: body,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" }, n: { DataType: "Number", StringValue: "7" } },
    });

    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: "from SDK v3",
        MessageAttributes: { kind: { DataType: "String", StringValue: "reply" } },
      }),
    );
    const received = await run.json<{
      Messages: { Body: string; ReceiptHandle: string; Attributes: Record<string, string>; MessageAttributes: unknown }[];
    }>("sqs", "receive-message", "--queue-url", QueueUrl, "--attribute-names", "All", "--message-attribute-names", "All");
    const [message] = received.Messages;
    expect(message).toMatchObject({
      Body: "from SDK v3",
      Attributes: { ApproximateReceiveCount: "1" },
      MessageAttributes: { kind: { DataType: "String", StringValue: "reply" } },
    });
    expect(Number(message?.Attributes["SentTimestamp"])).toBeGreaterThan(0);

    await run.json("sqs", "delete-message", "--queue-url", QueueUrl, "--receipt-handle", message?.ReceiptHandle ?? "");
    await run.json("sqs", "delete-queue", "--queue-url", QueueUrl);
    expect(await run.error("sqs", "send-message", "--queue-url", QueueUrl, "--message-body", "too late")).toMatch(
      errorLine("AWS.SimpleQueueService.NonExistentQueue", "SendMessage"),
    );
    expect(await run.error("sqs", "get-queue-url", "--queue-name", own("cli-queue"))).toMatch(
      errorLine("AWS.SimpleQueueService.NonExistentQueue", "GetQueueUrl"),
    );
  });

  it("dynamodb: create a table, put an item and read it back (with SDK v3 too)", async () => {
    const TableName = own("CliTable");
    await run.json(
      "dynamodb",
      "create-table",
      "--table-name",
      TableName,
      "--attribute-definitions",
      "AttributeName=k,AttributeType=S",
      "--key-schema",
      "AttributeName=k,KeyType=HASH",
      "--billing-mode",
      "PAY_PER_REQUEST",
    );
    await run.json("dynamodb", "put-item", "--table-name", TableName, "--item", '{"k":{"S":"1"},"v":{"N":"42"}}');
    expect(await run.json("dynamodb", "get-item", "--table-name", TableName, "--key", '{"k":{"S":"1"}}')).toEqual({
      Item: { k: { S: "1" }, v: { N: "42" } },
    });
    expect((await aws.dynamodb().send(new GetItemCommand({ TableName, Key: { k: { S: "1" } } }))).Item).toEqual({
      k: { S: "1" },
      v: { N: "42" },
    });
    expect(await run.error("dynamodb", "get-item", "--table-name", own("NoTable"), "--key", '{"k":{"S":"1"}}')).toMatch(
      errorLine("ResourceNotFoundException", "GetItem"),
    );
  });

  it("ssm: a SecureString comes back decrypted only when asked, to the CLI and to SDK v3", async () => {
    const name = `/cli/${own("secret")}`;
    await run.json("ssm", "put-parameter", "--name", name, "--value", "s3cret", "--type", "SecureString");
    const plain = await run.json<{ Parameter: { Value: string; Type: string } }>(
      "ssm",
      "get-parameter",
      "--name",
      name,
      "--with-decryption",
    );
    const sealed = await run.json<{ Parameter: { Value: string } }>("ssm", "get-parameter", "--name", name);
    expect(plain.Parameter).toMatchObject({ Value: "s3cret", Type: "SecureString" });
    expect(sealed.Parameter.Value).not.toBe("s3cret");
    expect((await aws.ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value).toBe("s3cret");
    expect(await run.error("ssm", "get-parameter", "--name", "/cli/nope")).toMatch(errorLine("ParameterNotFound", "GetParameter"));
  });
};

if (present.length > 0) describe.each(present)("the local endpoint through $name ($version)", contractChecks);
