import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";
import { createSqsService } from "../../src/sqs/sqs-service";

/**
 * FIFO queues as the SQS developer guide describes them, on a clock the test moves: a message group
 * is held back while any of its messages is in flight (received, not deleted, visibility not over),
 * and a deduplication id seen in the last five minutes is accepted again with the first MessageId and
 * not enqueued, whether the first message is still there or already deleted.
 */
describe("SQS FIFO queues", () => {
  let endpoint: LocalEndpoint;
  let now = 1_700_000_000_000;
  let client: SQSClient;
  let queues = 0;
  const newFifoQueue = async (attributes: Record<string, string> = {}): Promise<string> => {
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({
        QueueName: `fifo${++queues}.fifo`,
        Attributes: { FifoQueue: "true", VisibilityTimeout: "30", ...attributes },
      }),
    );
    return QueueUrl as string;
  };
  const send = (QueueUrl: string, body: string, group: string) =>
    client.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: body }));
  const receive = async (QueueUrl: string, max = 10) =>
    (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max }))).Messages ?? [];
  const bodies = (messages: { Body?: string }[]) => messages.map((message) => message.Body);
  const depth = async (QueueUrl: string) =>
    (await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes?.[
      "ApproximateNumberOfMessages"
    ];

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

  test("a group in flight delivers nothing more until its message is deleted or its visibility ends, then resumes in order", async () => {
    const QueueUrl = await newFifoQueue();
    for (const body of ["a1", "a2", "a3"]) await send(QueueUrl, body, "a");
    await send(QueueUrl, "b1", "b");
    const [first] = await receive(QueueUrl, 1);
    expect(first?.Body).toBe("a1");
    // a1 is in flight: a2 and a3 wait, the other group does not.
    const other = await receive(QueueUrl);
    expect(bodies(other)).toEqual(["b1"]);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: other[0]?.ReceiptHandle }));
    expect(await receive(QueueUrl)).toEqual([]);
    // The visibility timeout ends without a delete: a1 comes back first, never a2 before it.
    now += 30_000;
    const again = await receive(QueueUrl, 1);
    expect(bodies(again)).toEqual(["a1"]);
    // Made visible at once (ChangeMessageVisibility 0): the same again.
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again[0]?.ReceiptHandle, VisibilityTimeout: 0 }));
    const third = await receive(QueueUrl, 1);
    expect(bodies(third)).toEqual(["a1"]);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third[0]?.ReceiptHandle }));
    const rest = await receive(QueueUrl);
    expect(bodies(rest)).toEqual(["a2", "a3"]);
    // The first of a received batch in flight holds the group, even when a later one is deleted first.
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: rest[1]?.ReceiptHandle }));
    await send(QueueUrl, "a4", "a");
    expect(await receive(QueueUrl)).toEqual([]);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: rest[0]?.ReceiptHandle }));
    expect(bodies(await receive(QueueUrl))).toEqual(["a4"]);
  });

  test("a deduplication id repeated within five minutes answers the first MessageId, even after that message was deleted", async () => {
    const QueueUrl = await newFifoQueue();
    const original = await send(QueueUrl, "change-1", "item-1");
    const repeated = await send(QueueUrl, "change-1", "item-1");
    expect(repeated.MessageId).toBe(original.MessageId);
    expect(repeated.SequenceNumber).toBe(original.SequenceNumber);
    expect(await depth(QueueUrl)).toBe("1");
    const [message] = await receive(QueueUrl);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
    now += 4 * 60_000;
    expect((await send(QueueUrl, "change-1", "item-1")).MessageId).toBe(original.MessageId);
    expect(await depth(QueueUrl)).toBe("0");
    // In a batch, too: the repeated entry succeeds with the first id, the new one is enqueued.
    const batch = await client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "again", MessageBody: "change-1", MessageGroupId: "item-1", MessageDeduplicationId: "change-1" },
          { Id: "new", MessageBody: "change-2", MessageGroupId: "item-1", MessageDeduplicationId: "change-2" },
        ],
      }),
    );
    expect(batch.Successful?.find((entry) => entry.Id === "again")?.MessageId).toBe(original.MessageId);
    expect(bodies(await receive(QueueUrl))).toEqual(["change-2"]);
    // Five minutes after the first send, the id is new again.
    now += 60_001;
    const later = await send(QueueUrl, "change-1", "item-1");
    expect(later.MessageId).not.toBe(original.MessageId);
  });

  test("content-based deduplication: the same body in the window is one message; a MessageGroupId is required", async () => {
    const QueueUrl = await newFifoQueue({ ContentBasedDeduplication: "true" });
    const first = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"Artist":"x"}', MessageGroupId: "x" }));
    const second = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"Artist":"x"}', MessageGroupId: "x" }));
    expect(second.MessageId).toBe(first.MessageId);
    const missingGroup = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "no group" })).then(
      () => "accepted",
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(missingGroup).toBe("MissingParameter: The request must contain the parameter MessageGroupId.");
  });
});
