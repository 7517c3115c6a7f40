import { CreateTableCommand, type DynamoDBClient, type StreamViewType } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse, SQSRecord } from "aws-lambda";
import { LOCAL_CREDENTIALS } from "local-cloud/testing";

/** The walkthrough's table: `Artist` hash, `SongTitle` range, with a stream of the given view. */
export const createMusicTable = async (client: DynamoDBClient, tableName: string, view?: StreamViewType): Promise<string> => {
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: "Artist", AttributeType: "S" },
        { AttributeName: "SongTitle", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "Artist", KeyType: "HASH" },
        { AttributeName: "SongTitle", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
      ...(view ? { StreamSpecification: { StreamEnabled: true, StreamViewType: view } } : {}),
    }),
  );
  return created.TableDescription?.LatestStreamArn ?? "";
};

/** The sync-state table of template.yaml (SyncStateTable). */
export const createSyncStateTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "ItemKey", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "ItemKey", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
};

export const createQueue = async (sqs: SQSClient, name: string): Promise<string> =>
  (await sqs.send(new CreateQueueCommand({ QueueName: name, ...(name.endsWith(".fifo") ? { Attributes: { FifoQueue: "true" } } : {}) })))
    .QueueUrl ?? "";

export const queueDepth = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
};

/**
 * Reads a table's stream from where it was last read, as Lambda's event source does (every shard, in
 * order), and hands the records over in Lambda's shape (ApproximateCreationDateTime in epoch seconds).
 */
export class StreamTail {
  private readonly client: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string | undefined>();

  constructor(
    endpoint: string,
    private readonly region: string,
    private readonly streamArn: string,
  ) {
    this.client = new DynamoDBStreamsClient({ region, endpoint, credentials: LOCAL_CREDENTIALS });
  }

  async next(): Promise<DynamoDBRecord[]> {
    const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    const records: DynamoDBRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId ?? "";
      if (!this.iterators.has(shardId)) {
        const { ShardIterator } = await this.client.send(
          new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" }),
        );
        this.iterators.set(shardId, ShardIterator);
      }
      let iterator = this.iterators.get(shardId);
      while (iterator) {
        const output = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        for (const record of output.Records ?? []) {
          const created = record.dynamodb?.ApproximateCreationDateTime;
          records.push({
            eventID: record.eventID ?? "",
            eventName: record.eventName as DynamoDBRecord["eventName"],
            eventVersion: "1.1",
            eventSource: "aws:dynamodb",
            awsRegion: this.region,
            eventSourceARN: this.streamArn,
            dynamodb: {
              ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
              Keys: record.dynamodb?.Keys as never,
              ...(record.dynamodb?.NewImage ? { NewImage: record.dynamodb.NewImage as never } : {}),
              ...(record.dynamodb?.OldImage ? { OldImage: record.dynamodb.OldImage as never } : {}),
              SequenceNumber: record.dynamodb?.SequenceNumber ?? "",
              SizeBytes: record.dynamodb?.SizeBytes ?? 0,
              StreamViewType: record.dynamodb?.StreamViewType as never,
            },
            ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
          });
        }
        const advanced = output.NextShardIterator;
        this.iterators.set(shardId, advanced);
        if ((output.Records ?? []).length === 0 || advanced === iterator) break;
        iterator = advanced;
      }
    }
    return records;
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** A function invoked like Lambda: its answer, or a thrown error naming what went wrong. */
export type Invoke<E, R> = (event: E) => Promise<R>;

/** Forwards everything new in the stream through the forwarder, as Lambda would, retrying what it reports failed. */
export const pumpStream = async (
  tail: StreamTail,
  forward: Invoke<{ Records: DynamoDBRecord[] }, DynamoDBBatchResponse>,
): Promise<number> => {
  const records = await tail.next();
  for (let start = 0; start < records.length; start += 100) {
    const batch = records.slice(start, start + 100);
    const response = await forward({ Records: batch });
    if (response.batchItemFailures.length > 0)
      throw new Error(`the forwarder failed records: ${JSON.stringify(response.batchItemFailures)}`);
  }
  return records.length;
};

const toSqsRecord = (message: import("@aws-sdk/client-sqs").Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId ?? "",
  receiptHandle: message.ReceiptHandle ?? "",
  body: message.Body ?? "",
  attributes: message.Attributes as SQSRecord["attributes"],
  messageAttributes: {},
  md5OfBody: message.MD5OfBody ?? "",
  eventSource: "aws:sqs",
  eventSourceARN: queueArn,
  awsRegion: "us-east-1",
});

/**
 * Drains a FIFO queue through the writer as Lambda's SQS event source does (batches of at most 10,
 * successes deleted, reported failures left to come back); returns the messages the writer received.
 */
export const pumpQueue = async (
  sqs: SQSClient,
  queueUrl: string,
  write: Invoke<{ Records: SQSRecord[] }, SQSBatchResponse>,
  seen: string[] = [],
  maxRetries = 0,
): Promise<number> => {
  let received = 0;
  let retries = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ["All"],
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) return received;
    received += Messages.length;
    const records = Messages.map((message) => toSqsRecord(message, "arn:aws:sqs:us-east-1:000000000000:sync.fifo"));
    seen.push(...records.map((record) => record.body));
    const response = await write({ Records: records });
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    for (const message of Messages)
      if (!failed.has(message.MessageId ?? ""))
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    // A failed message comes back at once (Lambda's would after the visibility timeout), its group behind it.
    for (const message of Messages)
      if (failed.has(message.MessageId ?? ""))
        await sqs.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }),
        );
    retries += failed.size;
    if (retries > maxRetries) throw new Error(`the writer kept failing messages: ${JSON.stringify(response.batchItemFailures)}`);
  }
};
