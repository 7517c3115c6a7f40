import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
} from "@aws-sdk/client-sqs";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";
import { createSqsService } from "../../src/sqs/sqs-service";

describe("SQS queues", () => {
  let endpoint: LocalEndpoint;
  let now = 1_700_000_000_000;
  const sqs = (region = "us-east-1"): SQSClient =>
    new SQSClient({ region, endpoint: endpoint.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const errorOf = (promise: Promise<unknown>): Promise<{ name: string; Code?: string }> =>
    promise.then(
      () => ({ name: "no error" }),
      (error: Error & { Code?: string }) => ({ name: error.name, Code: error.Code }),
    );

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ port: 0, services: [createSqsService({ clock: () => now })] });
  });
  afterAll(async () => {
    await endpoint.close();
  });

  test("CreateQueue answers a URL under the local account; GetQueueUrl finds it", async () => {
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: "orders" }));
    expect(QueueUrl).toBe(`${endpoint.url}/000000000000/orders`);
    expect((await sqs().send(new GetQueueUrlCommand({ QueueName: "orders" }))).QueueUrl).toBe(QueueUrl);
    const missing = await errorOf(sqs().send(new GetQueueUrlCommand({ QueueName: "nope" })));
    expect(missing).toEqual({ name: "QueueDoesNotExist", Code: "AWS.SimpleQueueService.NonExistentQueue" });
  });

  test("CreateQueue is idempotent with the same attributes and refuses different ones", async () => {
    const first = await sqs().send(new CreateQueueCommand({ QueueName: "idem", Attributes: { VisibilityTimeout: "5" } }));
    const again = await sqs().send(new CreateQueueCommand({ QueueName: "idem", Attributes: { VisibilityTimeout: "5" } }));
    expect(again.QueueUrl).toBe(first.QueueUrl);
    const clash = await errorOf(sqs().send(new CreateQueueCommand({ QueueName: "idem", Attributes: { VisibilityTimeout: "6" } })));
    expect(clash).toEqual({ name: "QueueNameExists", Code: "QueueAlreadyExists" });
  });

  test("attributes have SQS defaults, computed counters, and validation", async () => {
    now += 1000;
    const { QueueUrl } = await sqs().send(
      new CreateQueueCommand({ QueueName: "attrs", Attributes: { DelaySeconds: "2", MessageRetentionPeriod: "600" } }),
    );
    const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(Attributes).toMatchObject({
      QueueArn: "arn:aws:sqs:us-east-1:000000000000:attrs",
      VisibilityTimeout: "30",
      DelaySeconds: "2",
      MessageRetentionPeriod: "600",
      ReceiveMessageWaitTimeSeconds: "0",
      MaximumMessageSize: "262144",
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
      CreatedTimestamp: String(Math.floor(now / 1000)),
    });
    now += 5000;
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: "7" } }));
    const some = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["VisibilityTimeout", "LastModifiedTimestamp"] }),
    );
    expect(some.Attributes).toEqual({ VisibilityTimeout: "7", LastModifiedTimestamp: String(Math.floor(now / 1000)) });
    expect((await errorOf(sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: "99999" } })))).name).toBe(
      "InvalidAttributeValue",
    );
    expect((await errorOf(sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Bogus: "1" } as never })))).name).toBe(
      "InvalidAttributeName",
    );
    expect((await errorOf(sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: "true" } })))).name).toBe(
      "InvalidAttributeName",
    );
  });

  test("RedrivePolicy must name an existing dead-letter queue and is listed as a source", async () => {
    const dlq = await sqs().send(new CreateQueueCommand({ QueueName: "redrive-dlq" }));
    const dlqArn = "arn:aws:sqs:us-east-1:000000000000:redrive-dlq";
    const bad = await errorOf(
      sqs().send(
        new CreateQueueCommand({
          QueueName: "redrive-src",
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${dlqArn}x`, maxReceiveCount: 2 }) },
        }),
      ),
    );
    expect(bad.name).toBe("InvalidParameterValue");
    const source = await sqs().send(
      new CreateQueueCommand({
        QueueName: "redrive-src",
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: "2" }) },
      }),
    );
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl: source.QueueUrl, AttributeNames: ["RedrivePolicy"] }),
    );
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 });
    expect((await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.QueueUrl }))).queueUrls).toEqual([source.QueueUrl]);
  });

  test("ListQueues filters by prefix and pages; regions are separate", async () => {
    for (const name of ["page-a", "page-b", "page-c"]) await sqs("eu-west-1").send(new CreateQueueCommand({ QueueName: name }));
    const all = await sqs("eu-west-1").send(new ListQueuesCommand({ QueueNamePrefix: "page-" }));
    expect(all.QueueUrls?.map((url) => url.split("/").pop())).toEqual(["page-a", "page-b", "page-c"]);
    expect(all.NextToken).toBeUndefined();
    const first = await sqs("eu-west-1").send(new ListQueuesCommand({ QueueNamePrefix: "page-", MaxResults: 2 }));
    expect(first.QueueUrls?.map((url) => url.split("/").pop())).toEqual(["page-a", "page-b"]);
    const second = await sqs("eu-west-1").send(
      new ListQueuesCommand({ QueueNamePrefix: "page-", MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls?.map((url) => url.split("/").pop())).toEqual(["page-c"]);
    expect(second.NextToken).toBeUndefined();
    expect((await sqs("ap-south-1").send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
  });

  test("DeleteQueue removes the queue", async () => {
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: "doomed" }));
    await sqs().send(new DeleteQueueCommand({ QueueUrl }));
    expect((await errorOf(sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] })))).name).toBe(
      "QueueDoesNotExist",
    );
    expect((await errorOf(sqs().send(new DeleteQueueCommand({ QueueUrl })))).name).toBe("QueueDoesNotExist");
  });

  test("FIFO queue names and attributes go together", async () => {
    expect((await errorOf(sqs().send(new CreateQueueCommand({ QueueName: "jobs", Attributes: { FifoQueue: "true" } })))).name).toBe(
      "InvalidParameterValue",
    );
    expect((await errorOf(sqs().send(new CreateQueueCommand({ QueueName: "jobs.fifo" })))).name).toBe("InvalidParameterValue");
    expect(
      (await errorOf(sqs().send(new CreateQueueCommand({ QueueName: "std", Attributes: { ContentBasedDeduplication: "true" } })))).name,
    ).toBe("InvalidAttributeName");
    const { QueueUrl } = await sqs().send(
      new CreateQueueCommand({ QueueName: "jobs.fifo", Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }),
    );
    const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(Attributes).toMatchObject({ FifoQueue: "true", ContentBasedDeduplication: "true" });
  });

  test("tags round-trip; unsupported operations fail loudly", async () => {
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: "tagged", tags: { team: "iot" } }));
    await sqs().send(new TagQueueCommand({ QueueUrl, Tags: { env: "local" } }));
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: "iot", env: "local" });
    expect((await errorOf(sqs().send(new AddPermissionCommand({ QueueUrl, Label: "l", AWSAccountIds: ["1"], Actions: ["*"] })))).name).toBe(
      "NotImplementedException",
    );
  });
});
