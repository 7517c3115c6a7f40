import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { CreateThingCommand, DescribeThingCommand } from "@aws-sdk/client-iot";
import { GetThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { LOCAL_CREDENTIALS, LOCAL_PARTITION_CREDENTIALS, partitionOfAccessKey } from "../../src/endpoint/partition-credentials";
import { LocalFunction } from "../../src/lambda/local-function";
import { awsCliRunner, findAwsClis } from "../../src/testing/aws-cli-clients";
import { useLocalAws } from "../../src/testing/local-aws-fixture";

/**
 * The `aws-cn` partition on the local cloud: its regions' ARNs say `arn:aws-cn:`, its fixed key pair
 * is the only one it knows (and the `aws` partition does not know it), and a fault can take one of
 * its services down while everything else answers.
 */
const aws = useLocalAws(["us-east-1", "cn-northwest-1"]);
const CN = "cn-northwest-1";
const CN_KEYS = LOCAL_PARTITION_CREDENTIALS["aws-cn"];

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => "accepted",
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => `${error.name} ${error.$metadata?.httpStatusCode}: ${error.message}`,
  );

const putFaults = (rules: unknown) =>
  fetch(`${aws.local().url}/_local/faults`, { method: "PUT", body: JSON.stringify(rules) }).then((response) => {
    expect(response.status).toBe(200);
  });

describe("the aws-cn partition", () => {
  const made: { destroy(): void }[] = [];
  afterEach(() => {
    for (const client of made.splice(0)) client.destroy();
  });
  const withKeys = <T extends { destroy(): void }>(Client: new (config: object) => T, region: string, credentials: object): T => {
    const client = new Client({ region, endpoint: aws.local().url, credentials, maxAttempts: 1 });
    made.push(client);
    return client;
  };

  it("names every resource of a China region with arn:aws-cn:, and takes those ARNs back", async () => {
    const { TableDescription } = await aws.dynamodb(CN).send(
      new CreateTableCommand({
        TableName: "Songs",
        AttributeDefinitions: [{ AttributeName: "Artist", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "Artist", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
      }),
    );
    expect(TableDescription?.TableArn).toBe("arn:aws-cn:dynamodb:cn-northwest-1:000000000000:table/Songs");
    const streamArn = TableDescription?.LatestStreamArn ?? "";
    expect(streamArn).toMatch(/^arn:aws-cn:dynamodb:cn-northwest-1:000000000000:table\/Songs\/stream\//);
    const streams = new DynamoDBStreamsClient({ region: CN, endpoint: aws.local().url, credentials: CN_KEYS });
    try {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      expect(StreamDescription?.StreamArn).toBe(streamArn);
      expect(StreamDescription?.TableName).toBe("Songs");
    } finally {
      streams.destroy();
    }
    expect((await aws.dynamodb("us-east-1").send(new ListTablesCommand({}))).TableNames).not.toContain("Songs");

    const { QueueUrl } = await aws.sqs(CN).send(new CreateQueueCommand({ QueueName: "changes.fifo", Attributes: { FifoQueue: "true" } }));
    const { Attributes } = await aws.sqs(CN).send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    expect(Attributes?.QueueArn).toBe("arn:aws-cn:sqs:cn-northwest-1:000000000000:changes.fifo");

    await aws.ssm(CN).send(new PutParameterCommand({ Name: "/sync/origin", Value: "cn", Type: "String" }));
    const { Parameter } = await aws.ssm(CN).send(new GetParameterCommand({ Name: "/sync/origin" }));
    expect(Parameter?.ARN).toBe("arn:aws-cn:ssm:cn-northwest-1:000000000000:parameter/sync/origin");

    const thing = await aws.iot(CN).send(new CreateThingCommand({ thingName: "Bulb" }));
    expect(thing.thingArn).toBe("arn:aws-cn:iot:cn-northwest-1:000000000000:thing/Bulb");
    // A name the path encodes (`:` as %3A): the signature over the doubly encoded path still checks.
    const encoded = await aws.iot(CN).send(new CreateThingCommand({ thingName: "Bulb:2" }));
    expect(encoded.thingArn).toBe("arn:aws-cn:iot:cn-northwest-1:000000000000:thing/Bulb:2");
  });

  it("refuses a key of the other partition with the error AWS gives for an unknown key, both ways", async () => {
    const invalid = "The security token included in the request is invalid.";
    const awsKeyInChina = {
      dynamodb: withKeys(DynamoDBClient, CN, LOCAL_CREDENTIALS),
      sqs: withKeys(SQSClient, CN, LOCAL_CREDENTIALS),
      ssm: withKeys(SSMClient, CN, LOCAL_CREDENTIALS),
    };
    expect(await refusal(awsKeyInChina.dynamodb.send(new ListTablesCommand({})))).toBe(`UnrecognizedClientException 400: ${invalid}`);
    expect(await refusal(awsKeyInChina.sqs.send(new ListQueuesCommand({})))).toBe(`InvalidClientTokenId 403: ${invalid}`);
    expect(await refusal(awsKeyInChina.ssm.send(new GetParameterCommand({ Name: "/sync/origin" })))).toBe(
      `UnrecognizedClientException 400: ${invalid}`,
    );
    const chinaKeyElsewhere = withKeys(DynamoDBClient, "us-east-1", CN_KEYS);
    expect(await refusal(chinaKeyElsewhere.send(new ListTablesCommand({})))).toBe(`UnrecognizedClientException 400: ${invalid}`);
    // The partition's key id with a wrong secret: the signature does not match.
    const wrongSecret = { ...CN_KEYS, secretAccessKey: "not-the-secret" };
    const mismatch =
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    expect(await refusal(withKeys(DynamoDBClient, CN, wrongSecret).send(new ListTablesCommand({})))).toBe(
      `InvalidSignatureException 400: ${mismatch}`,
    );
    expect(await refusal(withKeys(SQSClient, CN, wrongSecret).send(new ListQueuesCommand({})))).toBe(
      `SignatureDoesNotMatch 403: ${mismatch}`,
    );
    // The partition's own key works, its signatures checked (DynamoDB above, SSM, IoT, IoT data);
    // so does any key of the aws partition outside China.
    expect(await refusal(aws.ssm(CN).send(new GetParameterCommand({ Name: "/sync/origin" })))).toBe("accepted");
    expect(await refusal(aws.iot(CN).send(new DescribeThingCommand({ thingName: "Bulb" })))).toBe("accepted");
    expect(await refusal(aws.iotData(CN).send(new GetThingShadowCommand({ thingName: "Bulb" })))).toMatch(/^ResourceNotFoundException/);
    expect(await refusal(aws.dynamodb(CN).send(new ListTablesCommand({})))).toBe("accepted");
    expect(
      await refusal(
        withKeys(DynamoDBClient, "us-east-1", { accessKeyId: "AKIAANYTHING", secretAccessKey: "x" }).send(new ListTablesCommand({})),
      ),
    ).toBe("accepted");
  });

  it("gives a function deployed in a China region an aws-cn ARN and session keys of its partition", async () => {
    const dir = mkdtempSync(join(tmpdir(), "partition-function-"));
    const bundlePath = join(dir, "keys.js");
    writeFileSync(bundlePath, "exports.handler = async () => ({ key: process.env.AWS_ACCESS_KEY_ID });\n");
    const fn = new LocalFunction({
      functionName: "Keys",
      region: CN,
      bundlePath,
      exportName: "handler",
      timeoutSeconds: 10,
      memorySize: 128,
      environment: {},
      endpointUrl: aws.local().url,
      concurrency: 1,
    });
    try {
      expect(fn.arn).toBe("arn:aws-cn:lambda:cn-northwest-1:000000000000:function:Keys");
      const outcome = await fn.invoke({});
      const key = outcome.ok ? (outcome.result as { key: string }).key : "";
      expect(partitionOfAccessKey(key)).toBe("aws-cn");
      expect(key).toMatch(/^ASIA[A-Z0-9]{16}$/);
      const asFunction = { accessKeyId: key, secretAccessKey: "session-secret", sessionToken: "token" };
      expect(await refusal(withKeys(DynamoDBClient, CN, asFunction).send(new ListTablesCommand({})))).toBe("accepted");
      expect(await refusal(withKeys(DynamoDBClient, "us-east-1", asFunction).send(new ListTablesCommand({})))).toMatch(
        /^UnrecognizedClientException 400/,
      );
    } finally {
      await fn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const { present } = findAwsClis();
  for (const cli of present)
    it(`${cli.name}: describes the China table with the partition's key and is refused with the aws partition's`, async () => {
      const china = awsCliRunner(cli, () => aws.local().url, CN);
      const described = await china.json<{ Table: { TableArn: string } }>("dynamodb", "describe-table", "--table-name", "Songs");
      expect(described.Table.TableArn).toBe("arn:aws-cn:dynamodb:cn-northwest-1:000000000000:table/Songs");
      // Signed by the CLI's own signer with the partition's key: checked and accepted for every protocol it speaks.
      expect(
        (await china.json<{ QueueUrls?: string[] }>("sqs", "list-queues")).QueueUrls?.some((url) => url.endsWith("/changes.fifo")),
      ).toBe(true);
      expect(await china.json<{ thingName: string }>("iot", "describe-thing", "--thing-name", "Bulb")).toMatchObject({ thingName: "Bulb" });
      expect(await china.json<{ Parameter: { Value: string } }>("ssm", "get-parameter", "--name", "/sync/origin")).toMatchObject({
        Parameter: { Value: "cn" },
      });
      const wrongSecret = awsCliRunner(cli, () => aws.local().url, CN, { ...CN_KEYS, secretAccessKey: "not-the-secret" });
      expect(await wrongSecret.error("dynamodb", "list-tables")).toMatch(
        /An error occurred \(InvalidSignatureException\) when calling the ListTables operation/,
      );
      const wrongKeys = awsCliRunner(cli, () => aws.local().url, CN, LOCAL_CREDENTIALS);
      expect(await wrongKeys.error("dynamodb", "describe-table", "--table-name", "Songs")).toMatch(
        /An error occurred \(UnrecognizedClientException\) when calling the DescribeTable operation: The security token included in the request is invalid/,
      );
      expect(await wrongKeys.error("sqs", "list-queues")).toMatch(
        /An error occurred \((InvalidClientTokenId|UnrecognizedClientException)\) when calling the ListQueues operation: The security token included in the request is invalid/,
      );
    });

  it("takes down only the service and region an unavailable rule names", async () => {
    await putFaults({ unavailable: [{ region: CN, service: "dynamodb", seconds: 600 }] });
    try {
      const chinaTables = new DynamoDBClient({ region: CN, endpoint: aws.local().url, credentials: CN_KEYS, maxAttempts: 1 });
      try {
        const failure = await refusal(chinaTables.send(new DescribeTableCommand({ TableName: "Songs" })));
        expect(failure).not.toBe("accepted");
        expect(failure).not.toMatch(/Exception 4\d\d/);
      } finally {
        chinaTables.destroy();
      }
      expect(await refusal(aws.sqs(CN).send(new ListQueuesCommand({})))).toBe("accepted");
      expect(await refusal(aws.dynamodb("us-east-1").send(new ListTablesCommand({})))).toBe("accepted");
      const report = (await (await fetch(`${aws.local().url}/_local/faults`)).json()) as { detail: Record<string, number> };
      expect(report.detail["unavailable/cn-northwest-1/dynamodb"]).toBeGreaterThanOrEqual(1);
    } finally {
      await putFaults({});
    }
    expect((await aws.dynamodb(CN).send(new DescribeTableCommand({ TableName: "Songs" }))).Table?.TableStatus).toBe("ACTIVE");
  });
});
