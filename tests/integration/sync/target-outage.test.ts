import { DeleteItemCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import type { DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse, SQSRecord } from "aws-lambda";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import { withoutSyncAttributes } from "../../../src/domain/sync/sync-item";
import { syncForwardEnvironment, syncWriteEnvironment } from "../../support/function-environments";
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
 * The target unavailable for a while (the local cloud's `unavailable` fault on its region), then
 * throttled: the writer reports its messages failed, the FIFO queue holds the backlog in order, and
 * once the target answers again the backlog drains; the target then equals the source, nothing lost.
 */
const aws = useLocalAws(["us-east-1", "us-west-2"]);
const forwarder = useTemplateFunction("SyncForwardChangesFunction");
const writer = useTemplateFunction("SyncWriteChangesFunction");
const TABLE = "Outage";

const invoker =
  <E, R>(fn: { invoke(event: unknown): Promise<{ ok: boolean; result?: unknown; error?: { name: string; message: string } }> }) =>
  async (event: E): Promise<R> => {
    const outcome = await fn.invoke(event);
    if (!outcome.ok) throw new Error(`${outcome.error?.name}: ${outcome.error?.message}`);
    return outcome.result as R;
  };

const setFaults = async (rules: unknown) => {
  const response = await fetch(`${aws.local().url}/_local/faults`, { method: "PUT", body: JSON.stringify(rules) });
  if (!response.ok) throw new Error(`faults refused: ${await response.text()}`);
};

const contents = async (region: string) => {
  const { Items = [] } = await aws.dynamodb(region).send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
  return new Map(Items.map((item) => [`${item["Artist"]?.S}/${item["SongTitle"]?.S}`, withoutSyncAttributes(item)]));
};

it("a target outage then throttling: the backlog waits on the FIFO queue and drains in order once the target is back", async () => {
  const streamArn = await createMusicTable(aws.dynamodb("us-east-1"), TABLE, "NEW_IMAGE");
  await createMusicTable(aws.dynamodb("us-west-2"), TABLE);
  await createSyncStateTable(aws.dynamodb("us-east-1"), "SyncState");
  for (const name of ["target_ak", "target_sk"])
    await aws.ssm().send(new PutParameterCommand({ Name: name, Value: "local", Type: "SecureString" }));
  const queueUrl = await createQueue(aws.sqs(), "sync.fifo");
  const dlqUrl = await createQueue(aws.sqs(), "sync-dlq.fifo");
  const url = aws.local().url;
  const forward = invoker<{ Records: DynamoDBRecord[] }, DynamoDBBatchResponse>(
    forwarder.deploy("us-east-1", url, {
      ...syncForwardEnvironment({
        sourceTable: TABLE,
        queueUrl,
        deadLetterQueueUrl: await createQueue(aws.sqs(), "fwd-dlq"),
        stateTable: "SyncState",
        origin: "us-east-1",
      }),
    }),
  );
  const write = invoker<{ Records: SQSRecord[] }, SQSBatchResponse>(
    writer.deploy(
      "us-east-1",
      url,
      syncWriteEnvironment({
        sourceTable: TABLE,
        targetRegion: "us-west-2",
        targetTable: TABLE,
        stateTable: "SyncState",
        deadLetterQueueUrl: dlqUrl,
      }),
    ),
  );
  const tail = new StreamTail(url, "us-east-1", streamArn);
  const source = aws.dynamodb("us-east-1");
  for (let change = 0; change < 40; change += 1) {
    const key = { Artist: { S: "Band" }, SongTitle: { S: `Song ${change % 5}` } };
    if (change % 7 === 6) await source.send(new DeleteItemCommand({ TableName: TABLE, Key: key }));
    else await source.send(new PutItemCommand({ TableName: TABLE, Item: { ...key, Take: { N: String(change) } } }));
  }
  await pumpStream(tail, forward);
  tail.destroy();

  await setFaults({ unavailable: [{ region: "us-west-2", seconds: 3600 }] });
  const seen: string[] = [];
  await expect(pumpQueue(aws.sqs(), queueUrl, write, seen, 20)).rejects.toThrow(/kept failing/);
  expect(await queueDepth(aws.sqs(), queueUrl)).toBeGreaterThan(0);
  expect((await contents("us-east-1")).size).toBeGreaterThan(0);

  // Back, but throttled for a while: throttling is retried with the rest of each group behind it.
  await setFaults({ seed: 7, throttle: [{ service: "dynamodb", region: "us-west-2", probability: 0.3 }] });
  await pumpQueue(aws.sqs(), queueUrl, write, [], 1_000);
  await setFaults({});
  expect(await queueDepth(aws.sqs(), queueUrl)).toBe(0);
  expect(await queueDepth(aws.sqs(), dlqUrl)).toBe(0);
  expect(await contents("us-west-2")).toEqual(await contents("us-east-1"));
});
