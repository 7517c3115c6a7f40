import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { bundleFunction } from "../../src/lambda/bundle-function";
import { DynamoDbStreamEventSource, type StreamEventSourceOptions } from "../../src/lambda/dynamodb-stream-event-source";
import { LocalFunction } from "../../src/lambda/local-function";
import { SqsEventSource, type SqsEventSourceOptions } from "../../src/lambda/sqs-event-source";
import { LOCAL_CREDENTIALS, useLocalAws } from "../../src/testing/local-aws-fixture";
import { eventually } from "../../src/testing/local-cloud-fixture";

const aws = useLocalAws(["us-east-1"]);
const outdir = mkdtempSync(join(tmpdir(), "scripted-"));
let bundlePath: string;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [bundlePath] = (await bundleFunction(
    join(__dirname, "..", ".."),
    { EntryPoints: ["tests/support/functions/scripted-handler.ts"] },
    outdir,
  )) as [string];
});
afterAll(async () => {
  for (const stop of stops) await stop();
  rmSync(outdir, { recursive: true, force: true });
});

/** The scripted function, wrapped so the test sees every event it is invoked with. */
const scriptedFunction = (environment: Record<string, string> = {}) => {
  const fn = new LocalFunction({
    functionName: `scripted-${stops.length}`,
    region: "us-east-1",
    bundlePath,
    exportName: "handler",
    timeoutSeconds: 10,
    memorySize: 128,
    environment,
    endpointUrl: aws.local().url,
  });
  stops.push(() => fn.close());
  const events: { Records: Record<string, unknown>[] }[] = [];
  const recorded = Object.assign(Object.create(fn) as LocalFunction, {
    invoke: (event: { Records: Record<string, unknown>[] }) => {
      events.push(event);
      return fn.invoke(event);
    },
  });
  return { fn: recorded, events };
};

const createQueue = async (name: string, attributes: Record<string, string> = {}) => {
  const sqs = aws.sqs();
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl as string, arn: Attributes?.["QueueArn"] as string };
};

const startSqsMapping = (fn: LocalFunction, queue: { url: string; arn: string }, options: Partial<SqsEventSourceOptions> = {}) => {
  const mapping = new SqsEventSource(aws.sqs(), fn, {
    queueUrl: queue.url,
    queueArn: queue.arn,
    region: "us-east-1",
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    reportBatchItemFailures: true,
    ...options,
  });
  mapping.start();
  stops.unshift(() => mapping.stop());
  return mapping;
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

describe("SQS event source mapping", () => {
  it("deletes what succeeded, redelivers reported failures, and the queue's redrive moves them to the DLQ", async () => {
    const dlq = await createQueue("esm-dlq");
    const queue = await createQueue("esm-source", {
      VisibilityTimeout: "1",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    const { fn, events } = scriptedFunction();
    await aws.sqs().send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [0, 1, 2, 3, 4].map((i) => ({ Id: String(i), MessageBody: JSON.stringify({ i, fail: i === 1 || i === 3 }) })),
      }),
    );
    startSqsMapping(fn, queue);
    await eventually(
      () => depth(dlq.url),
      (count) => count === 2,
      15_000,
    );
    expect(await depth(queue.url)).toBe(0);
    const deliveries = events.flatMap((event) => event.Records.map((record) => (JSON.parse(String(record["body"])) as { i: number }).i));
    expect(deliveries.filter((i) => i === 1)).toHaveLength(2);
    expect(deliveries.filter((i) => i === 0)).toHaveLength(1);
  });

  it("leaves the whole batch on the queue when the function throws", async () => {
    const queue = await createQueue("esm-throw", { VisibilityTimeout: "30" });
    const { fn, events } = scriptedFunction();
    await aws.sqs().send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify({ throw: true }) }));
    startSqsMapping(fn, queue);
    await eventually(
      async () => events.length,
      (count) => count >= 1,
    );
    expect(await depth(queue.url)).toBe(1);
  });

  it("fills a batch within the batching window instead of invoking per message", async () => {
    const queue = await createQueue("esm-window");
    const { fn, events } = scriptedFunction();
    startSqsMapping(fn, queue, { batchSize: 10, maximumBatchingWindowInSeconds: 2 });
    for (let i = 0; i < 5; i += 1) {
      await aws.sqs().send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify({ i }) }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await eventually(
      async () => events.flatMap((event) => event.Records).length,
      (count) => count === 5,
    );
    expect(events).toHaveLength(1);
  });
});

describe("DynamoDB stream event source mapping", () => {
  const createStreamTable = async (name: string): Promise<string> => {
    const dynamodb = aws.dynamodb();
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: "k", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "k", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      }),
    );
    return (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table?.LatestStreamArn as string;
  };
  const putAll = async (table: string, keys: string[], poison: string) => {
    for (const k of keys)
      await aws.dynamodb().send(new PutItemCommand({ TableName: table, Item: { k: { S: k }, poison: { BOOL: k === poison } } }));
  };
  const startStreamMapping = (fn: LocalFunction, streamArn: string, options: Partial<StreamEventSourceOptions>) => {
    const streams = new DynamoDBStreamsClient({ region: "us-east-1", endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS });
    const mapping = new DynamoDbStreamEventSource(streams, aws.sqs(), fn, {
      streamArn,
      region: "us-east-1",
      batchSize: 10,
      startingPosition: "TRIM_HORIZON",
      maximumRetryAttempts: 1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
      filterPatterns: [],
      retryDelayMs: 10,
      ...options,
    });
    mapping.start();
    stops.unshift(async () => {
      await mapping.stop();
      streams.destroy();
    });
  };
  const keysOf = (event: { Records: Record<string, unknown>[] }) =>
    event.Records.map((record) => (record["dynamodb"] as { Keys: { k: { S: string } } }).Keys.k.S);

  it("delivers the first record of a table that was empty at LATEST, though another table was written before it", async () => {
    const streamArn = await createStreamTable("latest-empty");
    await aws.dynamodb().send(
      new CreateTableCommand({
        TableName: "written-first",
        AttributeDefinitions: [{ AttributeName: "k", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "k", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const { fn, events } = scriptedFunction();
    const streams = new DynamoDBStreamsClient({ region: "us-east-1", endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS });
    let positioned: () => void = () => undefined;
    const iteratorTaken = new Promise<void>((resolve) => {
      positioned = resolve;
    });
    // The real client, watched: the writes below must come after the mapping took its LATEST iterator.
    streams.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === "GetShardIteratorCommand") positioned();
        return result;
      },
      { step: "initialize" },
    );
    const mapping = new DynamoDbStreamEventSource(streams, aws.sqs(), fn, {
      streamArn,
      region: "us-east-1",
      batchSize: 10,
      startingPosition: "LATEST",
      maximumRetryAttempts: 0,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
      filterPatterns: [],
      retryDelayMs: 10,
    });
    mapping.start();
    stops.unshift(async () => {
      await mapping.stop();
      streams.destroy();
    });
    await iteratorTaken;
    await aws.dynamodb().send(new PutItemCommand({ TableName: "written-first", Item: { k: { S: "unrelated" } } }));
    await putAll("latest-empty", ["first"], "none");
    await eventually(
      async () => events.flatMap(keysOf),
      (keys) => keys.includes("first"),
    );
  });

  it("bisects a failing batch, delivers every good record, and sends the poison record's batch to the OnFailure queue", async () => {
    const streamArn = await createStreamTable("bisect");
    const onFailure = await createQueue("bisect-on-failure");
    const { fn, events } = scriptedFunction();
    await putAll("bisect", ["a", "b", "c", "d"], "c");
    startStreamMapping(fn, streamArn, { bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, onFailureQueueUrl: onFailure.url });
    const { Messages = [] } = await eventually(
      () => aws.sqs().send(new ReceiveMessageCommand({ QueueUrl: onFailure.url, WaitTimeSeconds: 1 })),
      (r) => (r.Messages ?? []).length > 0,
    );
    const failure = JSON.parse(Messages[0]?.Body ?? "{}") as {
      requestContext: { condition: string };
      DDBStreamBatchInfo: { batchSize: number; streamArn: string };
    };
    expect(failure.requestContext.condition).toBe("RetryAttemptsExhausted");
    expect(failure.DDBStreamBatchInfo).toMatchObject({ batchSize: 1, streamArn });
    const succeeded = events.filter((event) => !keysOf(event).includes("c")).flatMap(keysOf);
    expect(succeeded.sort()).toEqual(["a", "b", "d"]);
  });

  it("with ReportBatchItemFailures retries from the reported record, never skipping ahead of it", async () => {
    const streamArn = await createStreamTable("report");
    const onFailure = await createQueue("report-on-failure");
    const { fn, events } = scriptedFunction({ MODE: "report" });
    await putAll("report", ["a", "b", "c", "d"], "b");
    startStreamMapping(fn, streamArn, { reportBatchItemFailures: true, maximumRetryAttempts: 2, onFailureQueueUrl: onFailure.url });
    await eventually(
      () => aws.sqs().send(new ReceiveMessageCommand({ QueueUrl: onFailure.url, WaitTimeSeconds: 1 })),
      (r) => (r.Messages ?? []).length > 0,
    );
    expect(events.map(keysOf)).toEqual([
      ["a", "b", "c", "d"],
      ["b", "c", "d"],
      ["b", "c", "d"],
    ]);
  });
});
