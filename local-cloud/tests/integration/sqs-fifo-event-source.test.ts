import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SamFunction } from "../../src/cloudformation/sam-function-events";
import { startEventSources } from "../../src/deploy/deployed-function";
import { createRegionClients } from "../../src/deploy/region-clients";
import { FaultInjector } from "../../src/faults/fault-injector";
import { parseFaultRules } from "../../src/faults/fault-rules";
import { LocalFunction } from "../../src/lambda/local-function";
import { SqsEventSource } from "../../src/lambda/sqs-event-source";
import { useLocalAws } from "../../src/testing/local-aws-fixture";
import { eventually } from "../../src/testing/local-cloud-fixture";

/**
 * Lambda's SQS event source on a FIFO queue: each message group is handed to the function in order;
 * a partial batch response stops the group at its first failed message (what comes after it in the
 * batch comes back after it), and the fault model's duplicates and delays never reorder a group.
 */
const aws = useLocalAws(["us-east-1"]);
const dir = mkdtempSync(join(tmpdir(), "sqs-fifo-source-"));
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A function that appends each record's `n` to its log as it handles it, and fails the first delivery
 * of every `n` listed in `failOnce`, reporting only that message (not the rest of its group, as a
 * careless function would): the local cloud must still keep the group in order.
 */
const recordingFunction = (name: string, failOnce: readonly string[]) => {
  const log = join(dir, `${name}.log`);
  const seen = join(dir, `${name}.seen`);
  writeFileSync(log, "");
  writeFileSync(seen, "");
  const bundlePath = join(dir, `${name}.js`);
  writeFileSync(
    bundlePath,
    `const fs = require("node:fs");
const failOnce = ${JSON.stringify(failOnce)};
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    const n = JSON.parse(record.body).n;
    const seenBefore = fs.readFileSync(${JSON.stringify(seen)}, "utf8").split("\\n").includes(n);
    fs.appendFileSync(${JSON.stringify(seen)}, n + "\\n");
    if (failOnce.includes(n) && !seenBefore) { batchItemFailures.push({ itemIdentifier: record.messageId }); continue; }
    fs.appendFileSync(${JSON.stringify(log)}, n + "\\n");
  }
  return { batchItemFailures };
};
`,
  );
  const fn = new LocalFunction({
    functionName: name,
    region: "us-east-1",
    bundlePath,
    exportName: "handler",
    timeoutSeconds: 30,
    memorySize: 128,
    environment: {},
    endpointUrl: "http://127.0.0.1:9",
    concurrency: 4,
  });
  stops.push(() => fn.close());
  return { fn, handled: () => readFileSync(log, "utf8").split("\n").filter(Boolean) };
};

/** A FIFO queue holding groups a, b, c of `perGroup` messages each, sent interleaved (a0 b0 c0 a1 ...). */
const fifoQueue = async (name: string, perGroup: number) => {
  const sqs = aws.sqs();
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}.fifo`, Attributes: { FifoQueue: "true", VisibilityTimeout: "1" } }),
  );
  const bodies = Array.from({ length: perGroup }, (_, i) => ["a", "b", "c"].map((group) => ({ group, n: `${group}${i}` }))).flat();
  for (let i = 0; i < bodies.length; i += 10)
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: bodies.slice(i, i + 10).map(({ group, n }, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify({ n }),
          MessageGroupId: group,
          MessageDeduplicationId: n,
        })),
      }),
    );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl as string, arn: Attributes?.["QueueArn"] as string, total: bodies.length };
};

const start = (fn: LocalFunction, queue: { url: string; arn: string }, faults?: FaultInjector) => {
  const mapping = new SqsEventSource(aws.sqs(), fn, {
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: "us-east-1",
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    reportBatchItemFailures: true,
    ...(faults ? { faults } : {}),
  });
  mapping.start();
  stops.unshift(() => mapping.stop());
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

/** The numbers of one group in the order of their first (or last) successful handling. */
const groupOrder = (handled: readonly string[], group: string, which: "first" | "last"): number[] => {
  const position = new Map<string, number>();
  handled.forEach((n, index) => {
    if (n.startsWith(group) && (which === "last" || !position.has(n))) position.set(n, index);
  });
  return [...position.entries()].sort((x, y) => x[1] - y[1]).map(([n]) => Number(n.slice(group.length)));
};

const ascending = (count: number) => Array.from({ length: count }, (_, i) => i);

describe("SQS event source on a FIFO queue", () => {
  it("stops a group at its first failed message: the rest of the group comes back after it, in order", async () => {
    const { fn, handled } = recordingFunction("partial", ["a2", "b0"]);
    const queue = await fifoQueue("partial", 5);
    start(fn, queue);
    await eventually(
      () => depth(queue.url),
      (count) => count === 0,
    );
    const log = handled();
    // The function went on after its failures, but what it handled last of each item is in order: the target ends right.
    for (const group of ["a", "b", "c"]) expect(groupOrder(log, group, "last")).toEqual(ascending(5));
    // a3 was in the batch that failed at a2: it was not deleted, so it was handed over again after a2 succeeded.
    expect(log.filter((n) => n === "a3")).toHaveLength(2);
    expect(log.lastIndexOf("a3")).toBeGreaterThan(log.indexOf("a2"));
    expect(log.filter((n) => n === "c0")).toHaveLength(1);
  });

  it("with duplicates and delays on, never hands a group's message over after a later one of its group", async () => {
    const faults = new FaultInjector(parseFaultRules('{"seed": 3, "duplicate": 0.5, "reorderMs": 400}'), Date.now());
    const { fn, handled } = recordingFunction("faulty", []);
    const queue = await fifoQueue("faulty", 20);
    start(fn, queue, faults);
    await eventually(
      () => depth(queue.url),
      (count) => count === 0,
      60_000,
    );
    const log = handled();
    expect(new Set(log).size).toBe(queue.total);
    for (const group of ["a", "b", "c"]) {
      expect(groupOrder(log, group, "first")).toEqual(ascending(20));
      expect(groupOrder(log, group, "last")).toEqual(ascending(20));
    }
    expect(faults.report().detail["duplicate/sqs"]).toBeGreaterThan(0);
    expect(faults.report().injected.reorder).toBe(0);
  });

  it("is refused at creation with a BatchSize over 10 or a batching window, as Lambda refuses them for FIFO queues", async () => {
    const { fn } = recordingFunction("limits", []);
    const queue = await fifoQueue("limits", 0);
    const clients = createRegionClients(aws.local().url, "us-east-1");
    try {
      const consumer = (batchSize: number, maximumBatchingWindowInSeconds: number): SamFunction => ({
        logicalId: "Writer",
        handler: { entryPoint: "writer.ts", exportName: "handler" },
        runtime: "nodejs22.x",
        timeoutSeconds: 1,
        memorySizeMb: 128,
        environment: {},
        reservedConcurrency: undefined,
        events: [
          {
            kind: "SQS",
            name: "Changes",
            queueArn: queue.arn,
            batchSize,
            maximumBatchingWindowInSeconds,
            functionResponseTypes: ["ReportBatchItemFailures"],
            enabled: true,
            filterPatterns: [],
            maximumConcurrency: undefined,
          },
        ],
      });
      await expect(startEventSources(fn, consumer(11, 0), clients, () => undefined)).rejects.toThrow(
        "Writer@us-east-1 SQS Changes: BatchSize of a FIFO queue's mapping must be at most 10, got 11",
      );
      await expect(startEventSources(fn, consumer(10, 1), clients, () => undefined)).rejects.toThrow(
        "Writer@us-east-1 SQS Changes: MaximumBatchingWindowInSeconds is not supported for FIFO queues, got 1",
      );
      const running = await startEventSources(fn, consumer(10, 0), clients, () => undefined);
      expect(running).toHaveLength(1);
      await Promise.all(running.map((mapping) => mapping.stop()));
    } finally {
      clients.destroy();
    }
  });
});
