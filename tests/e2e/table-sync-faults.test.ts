import { DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import { eventually, MUSIC_COLLECTION_WALKTHROUGH, useLocalCloud } from "local-cloud/testing";
import { withoutSyncAttributes } from "../../src/domain/sync/sync-item";

/**
 * The table sync as deployed from template.yaml on the local cloud, the walkthrough's way (us-east-1's
 * MusicCollection into cn-northwest-1's, the aws-cn partition), under the local cloud's faults: every
 * delivery duplicated or held back, then the target's DynamoDB unavailable for a while. Each time the
 * target ends equal to the source (the sync's metadata left aside), and nothing is dead-lettered.
 */
// A failed change is retried after 30 s (SyncRetryAfterSeconds, the template's lowest) rather than the default 180 s.
const local = useLocalCloud({
  walkthrough: MUSIC_COLLECTION_WALKTHROUGH,
  regionParameterOverrides: { "us-east-1": { SyncRetryAfterSeconds: "30" } },
});
const TABLE = "MusicCollection";
const SOURCE = "us-east-1";
const TARGET = "cn-northwest-1";
/** The SyncQueue's visibility timeout (30 s here) passes, a few times over, before the backlog has drained. */
const DRAIN_MS = 150_000;

const setFaults = async (rules: unknown): Promise<void> => {
  const response = await fetch(`${local.cloud().aws.url}/_local/faults`, { method: "PUT", body: JSON.stringify(rules) });
  if (!response.ok) throw new Error(`faults refused: ${await response.text()}`);
};

/** JSON with object keys sorted: two scans of equal items compare equal whatever order their attributes come in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

/** One artist's songs in a region, by song, without the sync's attributes. */
const songsOf = async (region: string, artist: string) => {
  const { Items = [] } = await local
    .cloud()
    .clients(region)
    .dynamodb.send(
      new ScanCommand({
        TableName: TABLE,
        ConsistentRead: true,
        FilterExpression: "Artist = :artist",
        ExpressionAttributeValues: { ":artist": { S: artist } },
      }),
    );
  return Object.fromEntries(Items.map((item) => [item["SongTitle"]?.S ?? "", withoutSyncAttributes(item)]));
};

/** `changes` puts, updates and deletes of five songs of `artist` in the source, one after the other. */
const changeSongs = async (artist: string, changes: number): Promise<void> => {
  const source = local.cloud().clients(SOURCE).dynamodb;
  for (let change = 0; change < changes; change += 1) {
    const Key = { Artist: { S: artist }, SongTitle: { S: `Song ${change % 5}` } };
    if (change % 7 === 6) await source.send(new DeleteItemCommand({ TableName: TABLE, Key }));
    else if (change % 3 === 2)
      await source.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key,
          UpdateExpression: "SET Take = :take, Edited = :yes",
          ExpressionAttributeValues: { ":take": { N: String(change) }, ":yes": { BOOL: true } },
        }),
      );
    else await source.send(new PutItemCommand({ TableName: TABLE, Item: { ...Key, Take: { N: String(change) } } }));
  }
};

/** The stack's sync queues in us-east-1, by logical id: messages waiting, in flight and delayed. */
const queueDepths = async (): Promise<Record<string, number>> => {
  const sqs = local.cloud().clients(SOURCE).sqs;
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "iot-fleet-replicator-Sync" }));
  const depths: Record<string, number> = {};
  for (const QueueUrl of QueueUrls) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
      }),
    );
    const name = (QueueUrl.split("/").pop() ?? "").replace("iot-fleet-replicator-", "").replace(".fifo", "");
    depths[name] =
      Number(Attributes.ApproximateNumberOfMessages) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed);
  }
  return depths;
};

afterEach(async () => {
  await setFaults({});
});

test("with every delivery possibly duplicated or held back, the target in the aws-cn partition still equals the source", async () => {
  await setFaults({ seed: 11, duplicate: 0.3, reorderMs: 300 });
  await changeSongs("Duplicated Band", 40);
  const source = await songsOf(SOURCE, "Duplicated Band");
  expect(Object.keys(source)).toHaveLength(5);
  await eventually(
    () => songsOf(TARGET, "Duplicated Band"),
    (target) => canonical(target) === canonical(source),
    60_000,
  );
  const stats = (await (await fetch(`${local.cloud().aws.url}/_local/faults`)).json()) as { injected?: Record<string, number> };
  expect(stats.injected?.["duplicate"] ?? 0).toBeGreaterThan(0);
  expect(await songsOf(TARGET, "Duplicated Band")).toEqual(source);
  expect(await queueDepths()).toMatchObject({ SyncDeadLetterQueue: 0, SyncForwardDeadLetterQueue: 0 });
}, 120_000);

test(
  "cn-northwest-1's DynamoDB unavailable for a while: the changes wait on the FIFO queue, then drain with nothing lost or reordered",
  async () => {
    await setFaults({ unavailable: [{ region: TARGET, service: "dynamodb", seconds: 20 }] });
    await changeSongs("Outage Band", 30);
    // The writer failed on the unreachable target: the changes are held in the FIFO queue.
    await eventually(queueDepths, (depths) => (depths["SyncQueue"] ?? 0) > 0, 20_000);
    const source = await songsOf(SOURCE, "Outage Band");
    await eventually(
      async () => {
        try {
          return await songsOf(TARGET, "Outage Band");
        } catch {
          return undefined; // still unavailable
        }
      },
      (target) => canonical(target) === canonical(source),
      DRAIN_MS,
    );
    expect(await songsOf(TARGET, "Outage Band")).toEqual(source);
    expect(await queueDepths()).toEqual({ SyncQueue: 0, SyncDeadLetterQueue: 0, SyncForwardDeadLetterQueue: 0 });
  },
  DRAIN_MS + 60_000,
);
