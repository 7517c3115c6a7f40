import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import type { DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse, SQSRecord } from "aws-lambda";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import { syncForwardEnvironment, syncWriteEnvironment } from "../../support/function-environments";
import { loadSqsEvent } from "../../support/sample-events";
import {
  createMusicTable,
  createQueue,
  createSyncStateTable,
  pumpQueue,
  pumpStream,
  queueDepth,
  StreamTail,
} from "../../support/sync-harness";

/**
 * The walkthrough's one-way sync, through the real handlers on the local AWS endpoint: MusicCollection
 * in us-east-1 (stream NEW_IMAGE) into the same table in us-west-2, the target's credentials read from
 * SSM target_ak / target_sk. (The local cloud of this branch serves no aws-cn region; the walkthrough's
 * cn-northwest-1 target is the same code with another SYNC_TARGET_REGION.)
 */
const aws = useLocalAws(["us-east-1", "us-west-2"]);
const forwarder = useTemplateFunction("SyncForwardChangesFunction");
const writer = useTemplateFunction("SyncWriteChangesFunction");

const key = { Artist: { S: "No One You Know" }, SongTitle: { S: "Call Me Today" } };

const invoker =
  <E, R>(fn: { invoke(event: unknown): Promise<{ ok: boolean; result?: unknown; error?: { name: string; message: string } }> }) =>
  async (event: E): Promise<R> => {
    const outcome = await fn.invoke(event);
    if (!outcome.ok) throw new Error(`${outcome.error?.name}: ${outcome.error?.message}`);
    return outcome.result as R;
  };

interface Sync {
  tail: StreamTail;
  forward: (event: { Records: DynamoDBRecord[] }) => Promise<DynamoDBBatchResponse>;
  write: (event: { Records: SQSRecord[] }) => Promise<SQSBatchResponse>;
  queueUrl: string;
  stateTable: string;
}

/** A source table of the given stream view, its target, and a sync stack between them (names suffixed). */
const syncStack = async (suffix: string, view: "NEW_IMAGE" | "KEYS_ONLY", forwardOverrides: Record<string, string> = {}): Promise<Sync> => {
  const table = `MusicCollection${suffix}`;
  const streamArn = await createMusicTable(aws.dynamodb("us-east-1"), table, view);
  await createMusicTable(aws.dynamodb("us-west-2"), table);
  const stateTable = `SyncState${suffix}`;
  await createSyncStateTable(aws.dynamodb("us-east-1"), stateTable);
  const queueUrl = await createQueue(aws.sqs(), `sync${suffix}.fifo`);
  const writeDlq = await createQueue(aws.sqs(), `sync-dlq${suffix}.fifo`);
  const forwardDlq = await createQueue(aws.sqs(), `sync-forward-dlq${suffix}`);
  const url = aws.local().url;
  const forwardFn = forwarder.deploy("us-east-1", url, {
    ...syncForwardEnvironment({ sourceTable: table, queueUrl, deadLetterQueueUrl: forwardDlq, stateTable, origin: "us-east-1" }),
    ...forwardOverrides,
  });
  const writeFn = writer.deploy(
    "us-east-1",
    url,
    syncWriteEnvironment({ sourceTable: table, targetRegion: "us-west-2", targetTable: table, stateTable, deadLetterQueueUrl: writeDlq }),
  );
  return { tail: new StreamTail(url, "us-east-1", streamArn), forward: invoker(forwardFn), write: invoker(writeFn), queueUrl, stateTable };
};

const targetItem = async (table: string) =>
  (await aws.dynamodb("us-west-2").send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

beforeAll(async () => {
  for (const [name, value] of [
    ["target_ak", "local"],
    ["target_sk", "local"],
  ])
    await aws.ssm().send(new PutParameterCommand({ Name: name, Value: value, Type: "SecureString" }));
});

describe("one-way table sync (forwarder and writer handlers, local AWS)", () => {
  it("put, update and delete in the source reach the target; the deleted item is gone for readers, its tombstone kept aside", async () => {
    const sync = await syncStack("", "NEW_IMAGE");
    const source = aws.dynamodb("us-east-1");
    await source.send(new PutItemCommand({ TableName: "MusicCollection", Item: { ...key, AlbumTitle: { S: "Somewhat Famous" } } }));
    await pumpStream(sync.tail, sync.forward);
    await pumpQueue(aws.sqs(), sync.queueUrl, sync.write);
    expect(await targetItem("MusicCollection")).toMatchObject({
      ...key,
      AlbumTitle: { S: "Somewhat Famous" },
      SyncOrigin: { S: "us-east-1" },
    });

    await source.send(
      new UpdateItemCommand({
        TableName: "MusicCollection",
        Key: key,
        UpdateExpression: "SET AlbumTitle = :t, Awards = :a",
        ExpressionAttributeValues: { ":t": { S: "Updated Album Title" }, ":a": { N: "10" } },
      }),
    );
    await pumpStream(sync.tail, sync.forward);
    await pumpQueue(aws.sqs(), sync.queueUrl, sync.write);
    expect(await targetItem("MusicCollection")).toMatchObject({ AlbumTitle: { S: "Updated Album Title" }, Awards: { N: "10" } });

    await source.send(new DeleteItemCommand({ TableName: "MusicCollection", Key: key }));
    await pumpStream(sync.tail, sync.forward);
    await pumpQueue(aws.sqs(), sync.queueUrl, sync.write);
    expect(await targetItem("MusicCollection")).toBeUndefined();
    const tombstone = await source.send(
      new GetItemCommand({ TableName: sync.stateTable, Key: { ItemKey: { S: JSON.stringify(key) } }, ConsistentRead: true }),
    );
    expect(tombstone.Item?.["TombstoneStamp"]?.S).toMatch(/#us-east-1#/);
  });

  it("a late (redriven) put after the delete does not bring the item back; a duplicate is a no-op", async () => {
    const sync = await syncStack("Late", "NEW_IMAGE");
    const source = aws.dynamodb("us-east-1");
    await source.send(new PutItemCommand({ TableName: "MusicCollectionLate", Item: { ...key, Plays: { N: "1" } } }));
    await source.send(new DeleteItemCommand({ TableName: "MusicCollectionLate", Key: key }));
    await pumpStream(sync.tail, sync.forward);
    const bodies: string[] = [];
    await pumpQueue(aws.sqs(), sync.queueUrl, sync.write, bodies);
    expect(bodies.map((body) => JSON.parse(body).kind)).toEqual(["put", "delete"]);
    const put = bodies[0] as string;
    const redriven: SQSRecord = {
      messageId: "redriven-put",
      receiptHandle: "",
      body: put,
      attributes: { MessageGroupId: "g" } as SQSRecord["attributes"],
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:sync.fifo",
      awsRegion: "us-east-1",
    };
    expect(await sync.write({ Records: [redriven, { ...redriven, messageId: "duplicate" }] })).toEqual({ batchItemFailures: [] });
    expect(await targetItem("MusicCollectionLate")).toBeUndefined();
  });

  it("KEYS_ONLY stream and items past the message size: claim checks, the writer reads the item from the source", async () => {
    const sync = await syncStack("Keys", "KEYS_ONLY");
    const big = await syncStack("Big", "NEW_IMAGE", { SYNC_MAX_MESSAGE_BYTES: "1024" });
    const lyrics = { S: "la ".repeat(2_000) };
    await aws.dynamodb("us-east-1").send(new PutItemCommand({ TableName: "MusicCollectionKeys", Item: { ...key, Lyrics: lyrics } }));
    await aws.dynamodb("us-east-1").send(new PutItemCommand({ TableName: "MusicCollectionBig", Item: { ...key, Lyrics: lyrics } }));
    for (const [stack, table] of [
      [sync, "MusicCollectionKeys"],
      [big, "MusicCollectionBig"],
    ] as const) {
      await pumpStream(stack.tail, stack.forward);
      const bodies: string[] = [];
      await pumpQueue(aws.sqs(), stack.queueUrl, stack.write, bodies);
      expect(bodies.map((body) => "image" in JSON.parse(body))).toEqual([false]);
      expect(await targetItem(table)).toMatchObject({ ...key, Lyrics: lyrics });
      expect(await queueDepth(aws.sqs(), stack.queueUrl)).toBe(0);
    }
  });

  it("events/ samples: the forwarder sends the stream batch as 2 puts and a delete in one group; the writer stores the sample's newest image", async () => {
    const sync = await syncStack("Samples", "NEW_IMAGE");
    const stream = JSON.parse(readFileSync(join(__dirname, "../../../events/sync-forward-music-collection.json"), "utf8"));
    expect(await sync.forward(stream)).toEqual({ batchItemFailures: [] });
    const { Messages = [] } = await aws
      .sqs()
      .send(new ReceiveMessageCommand({ QueueUrl: sync.queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }));
    expect(Messages.map((message) => JSON.parse(message.Body ?? "").kind)).toEqual(["put", "put", "delete"]);
    expect(new Set(Messages.map((message) => message.Attributes?.MessageGroupId)).size).toBe(1);
    expect(await sync.write(loadSqsEvent("sync-write-music-collection.json"))).toEqual({ batchItemFailures: [] });
    expect(await targetItem("MusicCollectionSamples")).toMatchObject({ AlbumTitle: { S: "Updated Album Title" }, Awards: { N: "10" } });
  });
});
