import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SamFunction } from "../../src/cloudformation/sam-function-events";
import { startEventSources } from "../../src/deploy/deployed-function";
import { createRegionClients } from "../../src/deploy/region-clients";
import { SqsEventSource, type SqsEventSourceOptions } from "../../src/lambda/sqs-event-source";
import { useLocalAws } from "../../src/testing/local-aws-fixture";
import { eventually } from "../../src/testing/local-cloud-fixture";
import { gatedFunction } from "../support/gated-function";

const aws = useLocalAws(["us-east-1"]);
const dir = mkdtempSync(join(tmpdir(), "sqs-concurrency-"));
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
  rmSync(dir, { recursive: true, force: true });
});

const gated = (name: string, concurrency: number) => {
  const made = gatedFunction(dir, name, concurrency);
  stops.push(() => made.fn.close());
  return made;
};

const queueWith = async (name: string, bodies: { n: string; group?: string }[], attributes: Record<string, string> = {}) => {
  const sqs = aws.sqs();
  const fifo = name.endsWith(".fifo");
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: "60", ...(fifo ? { FifoQueue: "true" } : {}), ...attributes },
    }),
  );
  for (let i = 0; i < bodies.length; i += 10)
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: bodies.slice(i, i + 10).map((body, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify({ n: body.n }),
          ...(fifo ? { MessageGroupId: body.group ?? "g", MessageDeduplicationId: body.n } : {}),
        })),
      }),
    );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl as string, arn: Attributes?.["QueueArn"] as string };
};

const depth = async (url: string): Promise<number> => {
  const { Attributes } = await aws.sqs().send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return Number(Attributes?.["ApproximateNumberOfMessages"]) + Number(Attributes?.["ApproximateNumberOfMessagesNotVisible"]);
};

const startMapping = (
  made: ReturnType<typeof gated>,
  queue: { url: string; arn: string },
  options: Partial<SqsEventSourceOptions> = {},
) => {
  const mapping = new SqsEventSource(aws.sqs(), made.fn, {
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: "us-east-1",
    batchSize: 1,
    maximumBatchingWindowInSeconds: 0,
    reportBatchItemFailures: true,
    ...options,
  });
  mapping.start();
  stops.unshift(() => mapping.stop());
  return mapping;
};

const numbered = (count: number, group?: string) =>
  Array.from({ length: count }, (_, i) => ({ n: `${group ?? "m"}${i}`, ...(group ? { group } : {}) }));

describe("SQS event source concurrency", () => {
  it("scales from five batches in flight up to the function's concurrency while messages wait, and drains the queue", async () => {
    const made = gated("scale", 8);
    const queue = await queueWith("scale", numbered(30));
    const mapping = startMapping(made, queue);
    await eventually(
      async () => made.started(),
      (count) => count === 8,
    );
    expect(mapping.maximumBatches).toBe(8);
    expect(mapping.concurrentBatches).toBe(8);
    expect(made.fn.coldStarts).toBe(8);
    made.open();
    await eventually(
      () => depth(queue.url),
      (count) => count === 0,
    );
    expect(made.started()).toBe(30);
    expect(made.fn.coldStarts).toBe(8);
  });

  it("never has more batches in flight than ScalingConfig.MaximumConcurrency", async () => {
    const made = gated("capped", 8);
    const queue = await queueWith("capped", numbered(10));
    const mapping = startMapping(made, queue, { maximumConcurrency: 2 });
    await eventually(
      async () => made.started(),
      (count) => count === 2,
    );
    expect(mapping.maximumBatches).toBe(2);
    made.open();
    await eventually(
      () => depth(queue.url),
      (count) => count === 0,
    );
    // Two environments served all ten batches.
    expect(made.fn.coldStarts).toBe(2);
  });

  it("on a FIFO queue keeps one batch in flight per message group, each group in order", async () => {
    const made = gated("fifo", 8);
    const queue = await queueWith("groups.fifo", [...numbered(4, "a"), ...numbered(4, "b")]);
    startMapping(made, queue);
    await eventually(
      async () => made.startOrder(),
      (order) => order.length === 2,
    );
    expect(made.startOrder().sort()).toEqual(["a0", "b0"]);
    made.open();
    await eventually(
      () => depth(queue.url),
      (count) => count === 0,
    );
    const order = made.startOrder();
    expect(order.filter((mark) => mark.startsWith("a"))).toEqual(["a0", "a1", "a2", "a3"]);
    expect(order.filter((mark) => mark.startsWith("b"))).toEqual(["b0", "b1", "b2", "b3"]);
  });
});

describe("creating an SQS event source mapping", () => {
  const describeFunction = (queueArn: string): SamFunction => ({
    logicalId: "Consumer",
    handler: { entryPoint: "consumer.ts", exportName: "handler" },
    runtime: "nodejs22.x",
    timeoutSeconds: 30,
    memorySizeMb: 128,
    environment: {},
    reservedConcurrency: undefined,
    events: [
      {
        kind: "SQS",
        name: "Queue",
        queueArn,
        batchSize: 10,
        maximumBatchingWindowInSeconds: 0,
        functionResponseTypes: [],
        enabled: true,
        filterPatterns: [],
        maximumConcurrency: undefined,
      },
    ],
  });

  it("is refused, as Lambda refuses it, when the queue's visibility timeout is below the function's timeout", async () => {
    const made = gated("visibility", 1);
    const clients = createRegionClients(aws.local().url, "us-east-1");
    stops.push(async () => clients.destroy());
    const short = await queueWith("short-visibility", [], { VisibilityTimeout: "29" });
    await expect(startEventSources(made.fn, describeFunction(short.arn), clients, () => undefined)).rejects.toThrow(
      "Consumer@us-east-1 SQS Queue: Invalid request provided: Queue visibility timeout: 29 seconds is less than Function timeout: 30 seconds",
    );
    const enough = await queueWith("enough-visibility", [], { VisibilityTimeout: "30" });
    const running = await startEventSources(made.fn, describeFunction(enough.arn), clients, () => undefined);
    expect(running).toHaveLength(1);
    await Promise.all(running.map((mapping) => mapping.stop()));
  });
});
