import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";
import { createSqsService, type LocalSqsService } from "../../src/sqs/sqs-service";

/** The in-process store is what the local Lambda event-source poller uses; clients must see the same queue. */
describe("SQS in-process store", () => {
  let endpoint: LocalEndpoint;
  let service: LocalSqsService;
  let client: SQSClient;
  let ids = 0;

  beforeAll(async () => {
    service = createSqsService({ newId: () => `id-${++ids}`, baseUrl: "http://sqs.local:4566" });
    endpoint = await startLocalEndpoint({ port: 0, services: [service] });
    client = new SQSClient({
      region: "eu-west-1",
      endpoint: endpoint.url,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  test("a poller receives, extends and deletes by queue ARN what clients sent", async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: "ingest", Attributes: { VisibilityTimeout: "30" } }));
    expect(QueueUrl).toBe("http://sqs.local:4566/000000000000/ingest");
    await client.send(
      new SendMessageCommand({ QueueUrl, MessageBody: "m1", MessageAttributes: { source: { DataType: "String", StringValue: "device" } } }),
    );
    const queue = service.store.queueByArn("eu-west-1", "arn:aws:sqs:eu-west-1:000000000000:ingest");
    const [message] = await service.store.receiveMessages(queue, {
      maxNumberOfMessages: 10,
      systemAttributeNames: ["All"],
      messageAttributeNames: ["All"],
    });
    expect(message).toMatchObject({
      MessageId: "id-1",
      Body: "m1",
      Attributes: { ApproximateReceiveCount: "1" },
      MessageAttributes: { source: { StringValue: "device" } },
    });
    service.store.changeMessageVisibility(queue, message!.ReceiptHandle, 60);
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessagesNotVisible"] }),
    );
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe("1");
    service.store.deleteMessage(queue, message!.ReceiptHandle);
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    expect(() => service.store.queueByArn("us-east-1", "arn:aws:sqs:us-east-1:000000000000:ingest")).toThrow(
      expect.objectContaining({ name: "QueueDoesNotExist" }),
    );
  });

  test("a pending long poll ends when the service closes", async () => {
    const closing = createSqsService();
    const queue = closing.store.createQueue("us-east-1", "idle");
    const started = Date.now();
    const poll = closing.store.receiveMessages(queue, { waitTimeSeconds: 20 });
    await closing.close?.();
    expect(await poll).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
