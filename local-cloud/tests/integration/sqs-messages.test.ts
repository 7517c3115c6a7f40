import { createHash } from "node:crypto";
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";
import { createSqsService } from "../../src/sqs/sqs-service";

describe("SQS messages", () => {
  let endpoint: LocalEndpoint;
  let now = 1_700_000_000_000;
  let client: SQSClient;
  let queueCounter = 0;
  const errorName = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => "no error",
      (error: Error) => error.name,
    );
  const newQueue = async (attributes: Record<string, string> = {}, fifo = false): Promise<string> => {
    const QueueName = `q${++queueCounter}${fifo ? ".fifo" : ""}`;
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName, Attributes: fifo ? { FifoQueue: "true", ...attributes } : attributes }),
    );
    return QueueUrl!;
  };
  const receive = async (QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) =>
    (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], ...extra })))
      .Messages ?? [];
  const counts = async (QueueUrl: string) =>
    (
      await client.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
        }),
      )
    ).Attributes;

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ port: 0, services: [createSqsService({ clock: () => now })] });
    client = new SQSClient({
      region: "us-east-1",
      endpoint: endpoint.url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  test("a sent message is received with its MD5s, message attributes and system attributes", async () => {
    const QueueUrl = await newQueue();
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: "hello",
        MessageAttributes: {
          kind: { DataType: "String", StringValue: "greeting" },
          count: { DataType: "Number", StringValue: "3" },
          blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash("md5").update("hello").digest("hex"));
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const [message] = await receive(QueueUrl, { MessageAttributeNames: ["All"] });
    expect(message).toMatchObject({ MessageId: sent.MessageId, Body: "hello", MD5OfMessageAttributes: sent.MD5OfMessageAttributes });
    expect(message!.MessageAttributes?.kind).toEqual({ DataType: "String", StringValue: "greeting" });
    expect(Array.from(message!.MessageAttributes?.blob?.BinaryValue ?? [])).toEqual([1, 2, 3]);
    expect(message!.Attributes).toMatchObject({
      SentTimestamp: String(now),
      ApproximateReceiveCount: "1",
      ApproximateFirstReceiveTimestamp: String(now),
      SenderId: "local",
    });
    const bad = client.send(
      new SendMessageCommand({ QueueUrl, MessageBody: "x", MessageAttributes: { n: { DataType: "Number", StringValue: "abc" } } }),
    );
    expect(await errorName(bad)).toBe("InvalidParameterValue");
  });

  test("received messages stay invisible for the visibility timeout, then return with a higher receive count", async () => {
    const QueueUrl = await newQueue({ VisibilityTimeout: "10" });
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "m" }));
    const [first] = await receive(QueueUrl);
    expect(await receive(QueueUrl)).toEqual([]);
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "1" });
    now += 10_000;
    const [second] = await receive(QueueUrl, { VisibilityTimeout: 1 });
    expect(second!.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(second!.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first!.Attributes?.ApproximateFirstReceiveTimestamp);
    expect(second!.ReceiptHandle).not.toBe(first!.ReceiptHandle);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second!.ReceiptHandle }));
    now += 2_000;
    expect(await receive(QueueUrl)).toEqual([]);
    expect(await errorName(client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "garbage" })))).toBe("ReceiptHandleIsInvalid");
  });

  test("ChangeMessageVisibility(+Batch) hides or releases in-flight messages", async () => {
    const QueueUrl = await newQueue({ VisibilityTimeout: "30" });
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "a" }));
    const [message] = await receive(QueueUrl);
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle, VisibilityTimeout: 0 }));
    const [again] = await receive(QueueUrl);
    expect(again!.MessageId).toBe(message!.MessageId);
    const batch = await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "ok", ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: "bad", ReceiptHandle: "garbage", VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(batch.Successful).toEqual([{ Id: "ok" }]);
    expect(batch.Failed).toEqual([expect.objectContaining({ Id: "bad", Code: "ReceiptHandleIsInvalid", SenderFault: true })]);
    const notInFlight = client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 5 }),
    );
    expect(await errorName(notInFlight)).toBe("MessageNotInflight");
  });

  test("delayed messages are counted as delayed and arrive after the delay", async () => {
    const QueueUrl = await newQueue();
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "later", DelaySeconds: 5 }));
    expect(await receive(QueueUrl)).toEqual([]);
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessagesDelayed: "1" });
    now += 5_000;
    expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(["later"]);
  });

  test("long polling returns as soon as a message arrives, and empty when the wait is over", async () => {
    const QueueUrl = await newQueue();
    const started = Date.now();
    const polling = receive(QueueUrl, { WaitTimeSeconds: 10 });
    setTimeout(() => void client.send(new SendMessageCommand({ QueueUrl, MessageBody: "ping" })), 150);
    expect((await polling).map((m) => m.Body)).toEqual(["ping"]);
    expect(Date.now() - started).toBeLessThan(3000);
    const emptyStarted = Date.now();
    expect(await receive(QueueUrl, { WaitTimeSeconds: 1 })).toEqual([]);
    expect(Date.now() - emptyStarted).toBeGreaterThanOrEqual(900);
    expect(await errorName(receive(QueueUrl, { MaxNumberOfMessages: 11 }))).toBe("InvalidParameterValue");
  });

  test("batches report each entry and refuse malformed batches", async () => {
    const QueueUrl = await newQueue();
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "one", MessageBody: "1" },
          { Id: "two", MessageBody: "2", DelaySeconds: 0 },
          { Id: "bad", MessageBody: "3", DelaySeconds: 9999 },
        ],
      }),
    );
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(["one", "two"]);
    expect(sent.Successful?.[0]?.MD5OfMessageBody).toBe(createHash("md5").update("1").digest("hex"));
    expect(sent.Failed).toEqual([expect.objectContaining({ Id: "bad", Code: "InvalidParameterValue", SenderFault: true })]);
    expect(await errorName(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })))).toBe("EmptyBatchRequest");
    const dup = client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "a", MessageBody: "x" },
          { Id: "a", MessageBody: "y" },
        ],
      }),
    );
    expect(await errorName(dup)).toBe("BatchEntryIdsNotDistinct");
    const many = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: "x" }));
    expect(await errorName(client.send(new SendMessageBatchCommand({ QueueUrl, Entries: many })))).toBe("TooManyEntriesInBatchRequest");
    const received = await receive(QueueUrl);
    const deleted = await client.send(
      new DeleteMessageBatchCommand({ QueueUrl, Entries: received.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }),
    );
    expect(deleted.Successful).toHaveLength(2);
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
  });

  test("PurgeQueue empties the queue; expired messages disappear after the retention period", async () => {
    const QueueUrl = await newQueue({ MessageRetentionPeriod: "60" });
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
    await client.send(new PurgeQueueCommand({ QueueUrl }));
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessages: "0" });
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "y" }));
    now += 60_000;
    expect(await receive(QueueUrl)).toEqual([]);
  });

  test("a message received more than maxReceiveCount times moves to the dead-letter queue", async () => {
    const dlqUrl = await newQueue();
    const dlqArn = `arn:aws:sqs:us-east-1:000000000000:${dlqUrl.split("/").pop()}`;
    const QueueUrl = await newQueue({
      VisibilityTimeout: "1",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
    });
    const { MessageId } = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "poison" }));
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await receive(QueueUrl)).toHaveLength(1);
      now += 1_000;
    }
    expect(await receive(QueueUrl)).toEqual([]);
    const [dead] = await receive(dlqUrl);
    expect(dead).toMatchObject({ MessageId, Body: "poison" });
    expect(dead!.Attributes?.DeadLetterQueueSourceArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${QueueUrl.split("/").pop()}`);
  });

  test("FIFO: groups are delivered in order with one in-flight batch per group", async () => {
    const QueueUrl = await newQueue({ VisibilityTimeout: "30" }, true);
    const send = (body: string, group: string) =>
      client.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: body }));
    const sequence: string[] = [];
    for (const [body, group] of [
      ["a1", "a"],
      ["a2", "a"],
      ["a3", "a"],
      ["b1", "b"],
    ] as const)
      sequence.push((await send(body, group)).SequenceNumber!);
    expect(sequence.every((number, i) => i === 0 || BigInt(number) > BigInt(sequence[i - 1]!))).toBe(true);
    const firstBatch = await receive(QueueUrl, { MaxNumberOfMessages: 2 });
    expect(firstBatch.map((m) => m.Body)).toEqual(["a1", "a2"]);
    expect(firstBatch[0]!.Attributes).toMatchObject({ MessageGroupId: "a", MessageDeduplicationId: "a1", SequenceNumber: sequence[0] });
    expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(["b1"]);
    expect(await receive(QueueUrl)).toEqual([]);
    for (const message of firstBatch) await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
    expect((await receive(QueueUrl)).map((m) => m.Body)).toEqual(["a3"]);
  });

  test("FIFO: deduplication by id or content within five minutes; MessageGroupId required", async () => {
    const QueueUrl = await newQueue({ ContentBasedDeduplication: "true" }, true);
    const first = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "same", MessageGroupId: "g" }));
    const duplicate = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "same", MessageGroupId: "g" }));
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(await counts(QueueUrl)).toMatchObject({ ApproximateNumberOfMessages: "1" });
    now += 5 * 60_000 + 1;
    const later = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "same", MessageGroupId: "g" }));
    expect(later.MessageId).not.toBe(first.MessageId);
    expect(await errorName(client.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })))).toBe("MissingParameter");
    const noDedup = await newQueue({}, true);
    expect(await errorName(client.send(new SendMessageCommand({ QueueUrl: noDedup, MessageBody: "x", MessageGroupId: "g" })))).toBe(
      "InvalidParameterValue",
    );
  });
});
