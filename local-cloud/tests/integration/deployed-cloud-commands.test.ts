import { join } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateThingCommand, IoTClient } from "@aws-sdk/client-iot";
import { LOCAL_CREDENTIALS } from "../../src/testing/local-aws-fixture";
import { useLocalCloud } from "../../src/testing/local-cloud-fixture";
import { killStartedCommands, runCommand, TSX } from "../support/command-process";

const { cloud } = useLocalCloud();
afterAll(killStartedCommands);

const INVOKE = join(__dirname, "..", "..", "src", "invoke.ts");
const DEPLOYED = "deployed regions: us-east-1, eu-west-1, us-west-2";

/** `npm run invoke` against the running cloud: exit code, stdout (the result), stderr (log, MQTT, dead letters). */
const invoke = async (...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => {
  const command = runCommand(TSX, [INVOKE, ...args], { LOCAL_AWS_PORT: String(cloud().aws.port) });
  let stdout = "";
  let stderr = "";
  command.child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  command.child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { code: await command.exited, stdout, stderr };
};

/** Lambda's Invoke API as the SDK signs it, with `LogType: Tail`. */
const invokeWithTail = (functionName: string, event: unknown, region = "us-east-1") =>
  fetch(`${cloud().aws.url}/2015-03-31/functions/${functionName}/invocations`, {
    method: "POST",
    headers: {
      "x-amz-log-type": "Tail",
      authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${region}/lambda/aws4_request, SignedHeaders=host, Signature=x`,
    },
    body: JSON.stringify(event),
  });

describe("npm run invoke on a running local cloud", () => {
  test("the message API: the function's log, its result, and the MQTT response it published", async () => {
    const { code, stdout, stderr } = await invoke("MessageApiFunction", "events/message-api-query.json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toBeNull();
    expect(stderr).toMatch(/--- log of MessageApiFunction \(last 4 KB\) ---\nSTART RequestId: \S+ Version: \$LATEST\n/);
    expect(stderr).toContain('"message":"request answered"');
    expect(stderr).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms/);
    expect(stderr).toMatch(
      /--- MQTT us-east-1: response\/query\/testThing-498641EE3CC64B8D857FE484F58E947A ---\n\{\n {2}"error": "No messages available"/,
    );
  }, 60_000);

  test("a batch with poison: what reached the dead-letter queue, with its failureReason", async () => {
    const { code, stdout, stderr } = await invoke("IngestMessagesFunction", "events/ingest-batch-with-poison.json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ batchItemFailures: [] });
    expect(stderr).toMatch(
      /--- dead-letter queue \S*MessagesDeadLetterQueue\S*: InvalidEvent: body is not JSON[^\n]*---\nthis is not json/,
    );
    expect(stderr).toMatch(/--- dead-letter queue \S*MessagesDeadLetterQueue\S*: InvalidEvent: thingName: is missing ---/);
  }, 60_000);

  test("a function that is not deployed: one line naming the functions that are", async () => {
    const { code, stderr } = await invoke("NoSuchFunction", "events/message-api-query.json");
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error: invoke failed \(HTTP 404\) ResourceNotFoundException: Function not found: NoSuchFunction in us-east-1: functions deployed in us-east-1: .*MessageApiFunction/m,
    );
  }, 60_000);
});

test("Lambda Invoke with LogType Tail answers X-Amz-Log-Result: the invocation's log, base64, at most 4 KB", async () => {
  const response = await invokeWithTail("MessageApiFunction", { token: "testThing-0000", topic: "request/query/testThing" });
  expect(response.status).toBe(200);
  const tail = Buffer.from(response.headers.get("x-amz-log-result") ?? "", "base64");
  expect(tail.length).toBeGreaterThan(0);
  expect(tail.length).toBeLessThanOrEqual(4096);
  const log = tail.toString("utf8");
  expect(log).toMatch(/END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: /);
  expect(log).toContain('"responseTopic":"response/query/testThing-0000"');
  await response.text();
});

describe("a region that is not deployed", () => {
  test("IoT in eu-west-9 is refused as AWS refuses a region not enabled, naming the deployed regions", async () => {
    const client = new IoTClient({ region: "eu-west-9", endpoint: cloud().aws.url, credentials: LOCAL_CREDENTIALS });
    try {
      await expect(client.send(new CreateThingCommand({ thingName: "lamp" }))).rejects.toMatchObject({
        name: "UnrecognizedClientException",
        $metadata: { httpStatusCode: 403 },
        message: expect.stringContaining(`region eu-west-9 is not deployed on this local cloud (${DEPLOYED})`),
      });
    } finally {
      client.destroy();
    }
  });

  test("DynamoDB in eu-west-9 too, for a table that the deployed regions have", async () => {
    const client = new DynamoDBClient({ region: "eu-west-9", endpoint: cloud().aws.url, credentials: LOCAL_CREDENTIALS });
    try {
      await expect(client.send(new DescribeTableCommand({ TableName: "IoTMessages" }))).rejects.toMatchObject({
        name: "UnrecognizedClientException",
        message: expect.stringContaining(DEPLOYED),
      });
    } finally {
      client.destroy();
    }
  });

  test("Lambda in eu-west-9 too", async () => {
    const response = await invokeWithTail("MessageApiFunction", {}, "eu-west-9");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: "UnrecognizedClientException", message: expect.stringContaining(DEPLOYED) });
  });
});
