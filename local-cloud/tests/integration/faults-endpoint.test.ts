import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { CreateThingCommand, IoTClient, ListThingsCommand, UpdateEventConfigurationsCommand } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient, ListRetainedMessagesCommand } from "@aws-sdk/client-iot-data-plane";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { isThrottlingError } from "@smithy/service-error-classification";
import mqtt from "mqtt";
import type { FaultReport } from "../../src/faults/fault-injector";
import { LOCAL_CREDENTIALS, useLocalAws } from "../../src/testing/local-aws-fixture";
import { eventually } from "../../src/testing/local-cloud-fixture";

const local = useLocalAws(["us-east-1", "eu-west-1"]);

/** One attempt only: the test looks at the error a real client classifies, not at its retries. */
const config = (region: string) => ({ region, endpoint: local.local().url, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

const putFaults = (rules: unknown) =>
  fetch(`${local.local().url}/_local/faults`, { method: "PUT", body: typeof rules === "string" ? rules : JSON.stringify(rules) });

const faultReport = async (): Promise<FaultReport> => (await fetch(`${local.local().url}/_local/faults`)).json() as Promise<FaultReport>;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error & { $metadata?: { httpStatusCode?: number }; Code?: string; code?: string }) => error,
  );

afterEach(async () => {
  await putFaults({});
});

describe("faults on demand at the endpoint", () => {
  it("answers each service's own throttling error, which its SDK classifies as throttling", async () => {
    expect(
      (
        await putFaults({
          throttle: ["iot", "iotdata", "dynamodb", "sqs", "ssm"].map((service) => ({ service, region: "eu-west-1", probability: 1 })),
        })
      ).status,
    ).toBe(200);
    const cases: [string, Promise<unknown>, string, number][] = [
      ["iot", new IoTClient(config("eu-west-1")).send(new ListThingsCommand({})), "ThrottlingException", 400],
      ["iotdata", new IoTDataPlaneClient(config("eu-west-1")).send(new ListRetainedMessagesCommand({})), "ThrottlingException", 429],
      ["dynamodb", new DynamoDBClient(config("eu-west-1")).send(new ListTablesCommand({})), "ProvisionedThroughputExceededException", 400],
      ["sqs", new SQSClient(config("eu-west-1")).send(new ListQueuesCommand({})), "RequestThrottled", 403],
      ["ssm", new SSMClient(config("eu-west-1")).send(new DescribeParametersCommand({})), "ThrottlingException", 400],
    ];
    for (const [service, call, name, status] of cases) {
      const error = await failureOf(call);
      expect({
        service,
        name: error?.name,
        status: error?.$metadata?.httpStatusCode,
        throttling: error && isThrottlingError(error),
      }).toEqual({
        service,
        name,
        status,
        throttling: true,
      });
    }
    // Another region is not throttled.
    expect(await new IoTClient(config("us-east-1")).send(new ListThingsCommand({}))).toMatchObject({ things: [] });
    const report = await faultReport();
    expect(report.injected.throttle).toBeGreaterThanOrEqual(5);
    expect(report.detail["throttle/sqs/eu-west-1"]).toBe(1);
  });

  it("throttles only the named operation, and answers SQS query-protocol clients in XML with the query code", async () => {
    await putFaults({ throttle: [{ service: "sqs", operation: "ListQueues", probability: 1 }] });
    const query = await fetch(`${local.local().url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x",
      },
      body: "Action=ListQueues&Version=2012-11-05",
    });
    expect(query.status).toBe(403);
    expect(await query.text()).toContain("<Code>RequestThrottled</Code>");
    const sqs = new SQSClient(config("us-east-1"));
    expect((await failureOf(sqs.send(new ListQueuesCommand({}))))?.name).toBe("RequestThrottled");
    expect(await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "x" })).catch((error: Error) => error.name)).toBe("RequestThrottled");
    await putFaults({ throttle: [{ service: "iot", operation: "CreateThing", probability: 1 }] });
    const iot = new IoTClient(config("us-east-1"));
    expect((await failureOf(iot.send(new CreateThingCommand({ thingName: "Throttled1" }))))?.name).toBe("ThrottlingException");
    expect((await iot.send(new ListThingsCommand({}))).things).toEqual([]);
  });

  it("drops every connection to an unavailable region for its seconds: the client sees a connection error", async () => {
    await putFaults({ unavailable: [{ region: "eu-west-1", seconds: 30 }] });
    const error = await failureOf(new DynamoDBClient(config("eu-west-1")).send(new ListTablesCommand({})));
    expect(error?.$metadata?.httpStatusCode).toBeUndefined();
    expect(`${error?.code} ${error?.message}`).toMatch(/ECONNRESET|socket hang up/);
    expect(await new DynamoDBClient(config("us-east-1")).send(new ListTablesCommand({}))).toMatchObject({ TableNames: [] });
    await putFaults({ unavailable: [{ region: "eu-west-1", seconds: 0 }] });
    expect(await new DynamoDBClient(config("eu-west-1")).send(new ListTablesCommand({}))).toMatchObject({ TableNames: [] });
  });

  it("refuses a bad rule set with 400 and one line naming what is wrong, keeping the active rules", async () => {
    await putFaults({ duplicate: 0.5 });
    const refused = await putFaults('{"duplicate": 0.5, "crash": 2}');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ message: "crash: must be a probability between 0 and 1, got 2" });
    expect((await putFaults("not json")).status).toBe(400);
    expect((await faultReport()).rules.duplicate).toBe(0.5);
  });

  it("publishes registry events twice when duplicate is 1, and late when reordered", async () => {
    const iot = new IoTClient(config("us-east-1"));
    await iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { THING: { Enabled: true } } }));
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${local.local().hub.portFor("us-east-1")}`);
    const seen: string[] = [];
    watcher.on("message", (_topic, payload) => seen.push(String(JSON.parse(payload.toString()).thingName)));
    await watcher.subscribeAsync("$aws/events/thing/+/created");
    await putFaults({ seed: 3, duplicate: 1, reorderMs: 200 });
    for (const name of ["Dup1", "Dup2", "Dup3", "Dup4"]) await iot.send(new CreateThingCommand({ thingName: name }));
    await eventually(
      async () => seen.length,
      (count) => count === 8,
    );
    expect([...seen].sort()).toEqual(["Dup1", "Dup1", "Dup2", "Dup2", "Dup3", "Dup3", "Dup4", "Dup4"]);
    const report = await faultReport();
    expect(report.detail["duplicate/registry-event"]).toBe(4);
    expect(report.detail["reorder/registry-event"]).toBeGreaterThan(0);
    await watcher.endAsync();
  });
});
