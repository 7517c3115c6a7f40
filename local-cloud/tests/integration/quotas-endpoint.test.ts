import {
  CreateThingCommand,
  CreateThingTypeCommand,
  DescribeThingCommand,
  IoTClient,
  type IoTClientConfig,
  ListThingsCommand,
} from "@aws-sdk/client-iot";
import {
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  IoTDataPlaneClient,
  ListNamedShadowsForThingCommand,
  PublishCommand,
  UpdateThingShadowCommand,
} from "@aws-sdk/client-iot-data-plane";
import { isThrottlingError } from "@smithy/service-error-classification";
import type { FaultReport } from "../../src/faults/fault-injector";
import type { QuotaBucketReport } from "../../src/faults/quota-buckets";
import { LOCAL_CREDENTIALS, useLocalAws } from "../../src/testing/local-aws-fixture";

const local = useLocalAws(["us-west-2", "us-east-1"]);

const clients: { destroy(): void }[] = [];
/** One attempt only unless told otherwise: the test counts what the endpoint answers, not the SDK's retries. */
const iot = (region: string, config: Partial<IoTClientConfig> = { maxAttempts: 1 }) => {
  const client = new IoTClient({ region, endpoint: local.local().url, credentials: LOCAL_CREDENTIALS, ...config });
  clients.push(client);
  return client;
};

const putFaults = async (rules: unknown) => {
  const response = await fetch(`${local.local().url}/_local/faults`, { method: "PUT", body: JSON.stringify(rules) });
  expect(response.status).toBe(200);
};

const quotaReport = async (): Promise<readonly QuotaBucketReport[]> =>
  ((await (await fetch(`${local.local().url}/_local/faults`)).json()) as FaultReport).quotas;

const bucketOf = async (service: string, region: string, operation: string): Promise<QuotaBucketReport | undefined> =>
  (await quotaReport()).find((bucket) => bucket.service === service && bucket.region === region && bucket.operation === operation);

type Outcome = "granted" | "ThrottlingException" | string;
const outcomeOf = (call: Promise<unknown>): Promise<Outcome> =>
  call.then(
    () => "granted",
    (error: Error & { $metadata?: { httpStatusCode?: number } }) =>
      error.name === "ThrottlingException" && error.$metadata?.httpStatusCode === 400 && isThrottlingError(error)
        ? "ThrottlingException"
        : `${error.name} (${error.$metadata?.httpStatusCode}): ${error.message}`,
  );

const count = (outcomes: readonly Outcome[], outcome: Outcome) => outcomes.filter((candidate) => candidate === outcome).length;

/**
 * What a token bucket can have granted: its burst, and tps more for every second since its first call
 * (which found it full). Bucket arithmetic on the bucket's own clock, not a statement about speed.
 */
const atMostAllowed = (bucket: QuotaBucketReport): number =>
  bucket.burst + (bucket.tps * ((bucket.lastGrantedAt ?? 0) - (bucket.firstGrantedAt ?? 0))) / 1000;

afterAll(() => {
  for (const client of clients) client.destroy();
});

afterEach(async () => {
  await putFaults({});
});

describe("API quotas (token buckets) at the endpoint", () => {
  it("grants a burst of 20 CreateThing calls at 5 tps up to the bucket, throttles the rest, and leaves other operations and regions alone", async () => {
    await putFaults({ quotas: [{ service: "iot", region: "us-west-2", operation: "CreateThing", tps: 5, burst: 5 }] });
    const west = iot("us-west-2");
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, index) => outcomeOf(west.send(new CreateThingCommand({ thingName: `Burst${index}` })))),
    );
    const granted = count(outcomes, "granted");
    expect(granted + count(outcomes, "ThrottlingException")).toBe(20);
    expect(granted).toBeGreaterThanOrEqual(5);
    const bucket = await bucketOf("iot", "us-west-2", "CreateThing");
    expect(bucket).toMatchObject({ tps: 5, burst: 5, granted, throttled: 20 - granted });
    expect(granted).toBeLessThanOrEqual(atMostAllowed(bucket as QuotaBucketReport));
    // Throttled calls changed nothing: only the granted things exist.
    expect((await west.send(new ListThingsCommand({}))).things).toHaveLength(granted);

    // Another operation of the region, and the same operation in another region, have no quota.
    for (let call = 0; call < 20; call += 1)
      expect(await west.send(new DescribeThingCommand({ thingName: "Burst0" })).catch((error: Error) => error.name)).not.toBe(
        "ThrottlingException",
      );
    const east = iot("us-east-1");
    const eastOutcomes = await Promise.all(
      Array.from({ length: 20 }, (_, index) => outcomeOf(east.send(new CreateThingCommand({ thingName: `East${index}` })))),
    );
    expect(count(eastOutcomes, "granted")).toBe(20);
    expect((await quotaReport()).map(({ region, operation }) => `${region} ${operation}`)).toEqual(["us-west-2 CreateThing"]);
  });

  it("grants more after a wait: a drained bucket holds its burst again a second later", async () => {
    await putFaults({ quotas: [{ service: "iot", region: "us-west-2", operation: "CreateThing", tps: 5 }] });
    const west = iot("us-west-2");
    let drained = false;
    for (let call = 0; call < 100 && !drained; call += 1)
      drained = (await outcomeOf(west.send(new CreateThingCommand({ thingName: `Drain${call}` })))) === "ThrottlingException";
    expect(drained).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after: Outcome[] = [];
    for (let call = 0; call < 5; call += 1) after.push(await outcomeOf(west.send(new CreateThingCommand({ thingName: `After${call}` }))));
    expect(after).toEqual(Array(5).fill("granted"));
    expect(await bucketOf("iot", "us-west-2", "CreateThing")).toMatchObject({ throttled: 1 });
  });

  it("applies the aws-default profile to the regions it names, control plane and data plane", async () => {
    await putFaults({ quotaProfile: { name: "aws-default", regions: ["us-west-2"] } });
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => outcomeOf(iot("us-west-2").send(new ListThingsCommand({})))));
    const listThings = await bucketOf("iot", "us-west-2", "ListThings");
    expect(listThings).toMatchObject({
      tps: 10,
      burst: 10,
      granted: count(outcomes, "granted"),
      throttled: 30 - count(outcomes, "granted"),
    });
    expect(listThings?.granted).toBeGreaterThanOrEqual(10);
    expect(listThings?.granted).toBeLessThanOrEqual(atMostAllowed(listThings as QuotaBucketReport));
    const eastOutcomes = await Promise.all(Array.from({ length: 30 }, () => outcomeOf(iot("us-east-1").send(new ListThingsCommand({})))));
    expect(count(eastOutcomes, "granted")).toBe(30);
    const data = new IoTDataPlaneClient({
      region: "us-west-2",
      endpoint: local.local().url,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    clients.push(data);
    expect(await outcomeOf(data.send(new GetThingShadowCommand({ thingName: "NoSuchThing" })))).toMatch(/^ResourceNotFoundException/);
    const shadow = { thingName: "Lamp", shadowName: "settings" };
    await data.send(new UpdateThingShadowCommand({ ...shadow, payload: JSON.stringify({ state: { reported: { on: true } } }) }));
    await data.send(new ListNamedShadowsForThingCommand({ thingName: "Lamp" }));
    await data.send(new DeleteThingShadowCommand(shadow));
    await data.send(new PublishCommand({ topic: "lamps/status", payload: "on" }));
    expect((await quotaReport()).filter((bucket) => bucket.service === "iotdata")).toEqual(
      ["DeleteThingShadow", "GetThingShadow", "ListNamedShadowsForThing", "Publish", "UpdateThingShadow"].map((operation) =>
        expect.objectContaining({ region: "us-west-2", operation, granted: 1, throttled: 0 }),
      ),
    );
  });

  it("is recovered from by the SDK's standard retry mode: every call succeeds, each throttled attempt retried", async () => {
    await putFaults({ quotas: [{ service: "iot", region: "us-west-2", operation: "CreateThingType", tps: 4, burst: 1 }] });
    const retrying = iot("us-west-2", { retryMode: "standard", maxAttempts: 10 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => retrying.send(new CreateThingTypeCommand({ thingTypeName: `Retried${index}` }))),
    );
    const attempts = results.reduce((sum, result) => sum + (result.$metadata.attempts ?? 1), 0);
    const bucket = await bucketOf("iot", "us-west-2", "CreateThingType");
    expect(bucket).toMatchObject({ granted: 10, throttled: attempts - 10 });
    // Ten calls at once against a bucket of one: most first attempts were throttled, and retried.
    expect(bucket?.throttled).toBeGreaterThan(0);
  });
});
