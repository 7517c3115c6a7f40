import { DeleteItemCommand, type DynamoDBClient, PutItemCommand, ScanCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import type { DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse, SQSRecord } from "aws-lambda";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import { withoutSyncAttributes } from "../../../src/domain/sync/sync-item";
import { syncForwardEnvironment, syncWriteEnvironment } from "../../support/function-environments";
import { createMusicTable, createQueue, createSyncStateTable, pumpQueue, pumpStream, StreamTail } from "../../support/sync-harness";

/**
 * Two-way mode: the stack on both sides (us-east-1 and us-west-2), each forwarding its table's local
 * changes (NEW_AND_OLD_IMAGES) and writing the other side's, concurrent conflicting writes on both.
 */
const aws = useLocalAws(["us-east-1", "us-west-2"]);
const forwarder = useTemplateFunction("SyncForwardChangesFunction");
const writer = useTemplateFunction("SyncWriteChangesFunction");
const TABLE = "Playlist";
const REGIONS = ["us-east-1", "us-west-2"] as const;

const invoker =
  <E, R>(fn: { invoke(event: unknown): Promise<{ ok: boolean; result?: unknown; error?: { name: string; message: string } }> }) =>
  async (event: E): Promise<R> => {
    const outcome = await fn.invoke(event);
    if (!outcome.ok) throw new Error(`${outcome.error?.name}: ${outcome.error?.message}`);
    return outcome.result as R;
  };

interface Side {
  region: string;
  client: DynamoDBClient;
  tail: StreamTail;
  forward: (event: { Records: DynamoDBRecord[] }) => Promise<DynamoDBBatchResponse>;
  write: (event: { Records: SQSRecord[] }) => Promise<SQSBatchResponse>;
  queueUrl: string;
}

let sides: Side[] = [];

beforeAll(async () => {
  const streams = await Promise.all(REGIONS.map((region) => createMusicTable(aws.dynamodb(region), TABLE, "NEW_AND_OLD_IMAGES")));
  for (const region of REGIONS) {
    await createSyncStateTable(aws.dynamodb(region), "SyncState");
    for (const name of ["target_ak", "target_sk"])
      await aws.ssm(region).send(new PutParameterCommand({ Name: name, Value: "local", Type: "SecureString" }));
  }
  const url = aws.local().url;
  sides = await Promise.all(
    REGIONS.map(async (region, index) => {
      const other = REGIONS[1 - index] as string;
      const queueUrl = await createQueue(aws.sqs(region), "sync.fifo");
      const forwardDlq = await createQueue(aws.sqs(region), "sync-forward-dlq");
      const writeDlq = await createQueue(aws.sqs(region), "sync-dlq.fifo");
      const forwardFn = forwarder.deploy(region, url, {
        ...syncForwardEnvironment({
          sourceTable: TABLE,
          queueUrl,
          deadLetterQueueUrl: forwardDlq,
          stateTable: "SyncState",
          origin: region,
        }),
        SYNC_TWO_WAY: "true",
      });
      const writeFn = writer.deploy(
        region,
        url,
        syncWriteEnvironment({
          sourceTable: TABLE,
          targetRegion: other,
          targetTable: TABLE,
          stateTable: "SyncState",
          peerStateTable: "SyncState",
          deadLetterQueueUrl: writeDlq,
        }),
      );
      return {
        region,
        client: aws.dynamodb(region),
        tail: new StreamTail(url, region, streams[index] as string),
        forward: invoker(forwardFn),
        write: invoker(writeFn),
        queueUrl,
      };
    }),
  );
});

afterAll(() => {
  for (const side of sides) side.tail.destroy();
});

/** Every item's data (the sync's metadata left out), by key. */
const contents = async (client: DynamoDBClient) => {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
  return new Map(Items.map((item) => [`${item["Artist"]?.S}/${item["SongTitle"]?.S}`, withoutSyncAttributes(item)]));
};

/** Runs both forwarders and both writers until nothing moves; the messages the writers received. */
const settle = async (): Promise<number> => {
  let messages = 0;
  for (let round = 0; round < 30; round += 1) {
    let moved = 0;
    for (const side of sides) moved += await pumpStream(side.tail, side.forward);
    for (const side of sides) {
      const received = await pumpQueue(aws.sqs(side.region), side.queueUrl, side.write, [], 50);
      messages += received;
      moved += received;
    }
    if (moved === 0) return messages;
  }
  throw new Error("the two-way sync did not settle in 30 rounds: a loop");
};

const song = (index: number) => ({ Artist: { S: "Band" }, SongTitle: { S: `Song ${index % 4}` } });

describe("two-way table sync (both stacks, local AWS)", () => {
  it("concurrent conflicting writes on both sides converge to the same items on both, with one message per local write", async () => {
    let localWrites = 0;
    const write = async (side: Side, index: number, value: string) => {
      localWrites += 1;
      if (index % 5 === 4) {
        await side.client.send(new DeleteItemCommand({ TableName: TABLE, Key: song(index) }));
        return;
      }
      if (index % 3 === 0) {
        await side.client.send(
          new UpdateItemCommand({
            TableName: TABLE,
            Key: song(index),
            UpdateExpression: "SET Rating = :v",
            ExpressionAttributeValues: { ":v": { S: value } },
          }),
        );
        return;
      }
      await side.client.send(new PutItemCommand({ TableName: TABLE, Item: { ...song(index), Rating: { S: value } } }));
    };
    // Round 1: both sides write the same four songs at once; round 2 (after a partial sync) again.
    await Promise.all(sides.flatMap((side) => Array.from({ length: 12 }, (_, index) => write(side, index, `${side.region}-${index}`))));
    await pumpStream((sides[0] as Side).tail, (sides[0] as Side).forward);
    await Promise.all(
      sides.flatMap((side) => Array.from({ length: 12 }, (_, index) => write(side, index + 1, `${side.region}-late-${index}`))),
    );
    const messages = await settle();
    const [east, west] = await Promise.all(sides.map((side) => contents(side.client)));
    expect(east).toEqual(west);
    expect((east as Map<string, unknown>).size).toBeGreaterThan(0);
    // Every local change is forwarded at most once (a delete of an absent item is no change); nothing the sync wrote comes back.
    expect(messages).toBeLessThanOrEqual(localWrites);
  });
});
