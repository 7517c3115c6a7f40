import { BatchWriteItemCommand, CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import type { SQSRecord } from "aws-lambda";
import { messageGroupId, SQS_MAX_MESSAGE_BYTES, serializeSyncMessage } from "../src/domain/sync/sync-message";
import { batchesOf, benchFunction, buildProperties, bundleEntry, invokeOk, LOCAL_CREDENTIALS, REGION, sqsRecords } from "./functions";
import type { OutputSink } from "./output-sink";
import { atLeast, type BenchRow, compare } from "./results";
import { sideBySide } from "./stats";

/** Messages per writer invocation: the template's SQS batch size (FIFO queues deliver at most 10). */
const SYNC_BATCH = 10;
/** Items per BatchWriteItem request: DynamoDB's limit. */
const BATCH_WRITE = 25;

type Item = Record<string, { S: string } | { N: string }>;

/** `count` MusicCollection items, each its own key (its own message group: the writer runs groups side by side). */
const songs = (prefix: string, count: number): Item[] =>
  Array.from({ length: count }, (_, i) => ({
    Artist: { S: `${prefix} artist ${i % 100}` },
    SongTitle: { S: `${prefix} song ${i}` },
    AlbumTitle: { S: "Somewhat Famous" },
    Awards: { N: String(i % 10) },
  }));

/** The FIFO queue's records for `items`, as the forwarder writes them (one put each, stamped, in its item's group). */
const syncRecords = (items: readonly Item[], idPrefix: string): SQSRecord[] =>
  items.map((item, i) => {
    const key = { Artist: item["Artist"], SongTitle: item["SongTitle"] } as Item;
    const { body } = serializeSyncMessage(
      {
        kind: "put",
        key,
        image: item,
        eventId: `${idPrefix}-${i}`,
        stamp: { time: 1_767_225_600_000 + i, origin: REGION, sequence: String(i + 1) },
      },
      SQS_MAX_MESSAGE_BYTES,
    );
    const [record] = sqsRecords([body], `${idPrefix}-${i}`) as [SQSRecord];
    return { ...record, attributes: { ...record.attributes, MessageGroupId: messageGroupId(key) } };
  });

const createTable = async (dynamodb: DynamoDBClient, tableName: string, hash: string, range?: string): Promise<void> => {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: hash, AttributeType: "S" },
        ...(range ? [{ AttributeName: range, AttributeType: "S" as const }] : []),
      ],
      KeySchema: [{ AttributeName: hash, KeyType: "HASH" }, ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : [])],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
};

/** The limit: the same items written straight from this process, 25 per BatchWriteItem, one request at a time (no condition, no tombstone read). */
const rawBatchWrites = async (dynamodb: DynamoDBClient, tableName: string, items: readonly Item[]): Promise<void> => {
  for (let i = 0; i < items.length; i += BATCH_WRITE) {
    let pending = items.slice(i, i + BATCH_WRITE).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const { UnprocessedItems } = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
};

export interface SyncWriterBenchOptions {
  readonly endpointUrl: string;
  readonly dynamodb: DynamoDBClient;
  readonly ssm: SSMClient;
  readonly deadLetterQueueUrl: string;
  readonly sink: OutputSink;
  readonly outdir: string;
  readonly items: number;
}

/**
 * The table sync writer's throughput on one local endpoint (target = another table of the same
 * DynamoDB Local, credentials from SSM as in production): batches of 10 (the FIFO queue's batch)
 * against the same writer fed one record per invocation, and against raw BatchWriteItem.
 */
export const benchSyncWriter = async (options: SyncWriterBenchOptions): Promise<BenchRow[]> => {
  const properties = buildProperties("SyncWriteChangesFunction");
  const bundle = await bundleEntry(properties.EntryPoints[0] as string, properties, `${options.outdir}/sync-write`);
  const tables = { source: "BenchSyncSource", ours: "BenchSyncOurs", baseline: "BenchSyncBaseline", raw: "BenchSyncRaw" };
  for (const table of Object.values(tables)) await createTable(options.dynamodb, table, "Artist", "SongTitle");
  for (const [Name, Value] of [
    ["target_ak", LOCAL_CREDENTIALS.accessKeyId],
    ["target_sk", LOCAL_CREDENTIALS.secretAccessKey],
  ] as const)
    await options.ssm.send(new PutParameterCommand({ Name, Value, Type: "SecureString", Overwrite: true }));
  const writer = (name: string, target: string) => {
    const stateTable = `${target}State`;
    return {
      stateTable,
      fn: benchFunction({
        name,
        bundlePath: bundle,
        endpointUrl: options.endpointUrl,
        sink: options.sink,
        environment: {
          SYNC_TARGET_REGION: REGION,
          SYNC_TARGET_TABLE_NAME: target,
          SYNC_TARGET_ENDPOINT: "",
          SYNC_TARGET_AK_PARAMETER: "target_ak",
          SYNC_TARGET_SK_PARAMETER: "target_sk",
          SYNC_TARGET_KEYS_TTL_SECONDS: "300",
          SYNC_SOURCE_TABLE_NAME: tables.source,
          SYNC_STATE_TABLE_NAME: stateTable,
          SYNC_PEER_STATE_TABLE_NAME: "",
          SYNC_TWO_WAY: "false",
          SYNC_TOMBSTONE_TTL_DAYS: "30",
          SYNC_INCLUDE_ATTRIBUTES: "",
          SYNC_EXCLUDE_ATTRIBUTES: "",
          SYNC_WRITE_DLQ_URL: options.deadLetterQueueUrl,
        },
      }),
    };
  };
  const ours = writer("sync-write", tables.ours);
  const baseline = writer("sync-write-one-by-one", tables.baseline);
  for (const { stateTable } of [ours, baseline]) await createTable(options.dynamodb, stateTable, "ItemKey");
  try {
    // Cold starts, the SSM read and first connections happen outside the measurements.
    const warm = songs("warm", 1);
    await invokeOk(ours.fn, { Records: syncRecords(warm, "warm") });
    await invokeOk(baseline.fn, { Records: syncRecords(warm, "warm") });
    await rawBatchWrites(options.dynamodb, tables.raw, warm);

    const items = songs("bench", options.items);
    const records = syncRecords(items, "sync");
    const work = items.map((item, i) => ({ item, record: records[i] as SQSRecord }));
    const totals = await sideBySide(work, Math.max(1, Math.round(options.items / 500)), {
      raw: (part) =>
        rawBatchWrites(
          options.dynamodb,
          tables.raw,
          part.map(({ item }) => item),
        ),
      ours: async (part) => {
        for (const batch of batchesOf(
          part.map(({ record }) => record),
          SYNC_BATCH,
        ))
          await invokeOk(ours.fn, batch);
      },
      baseline: async (part) => {
        for (const { record } of part) await invokeOk(baseline.fn, { Records: [record] });
      },
    });
    const perSecond = (ms: number): number => options.items / (ms / 1000);
    const figure = "table sync writer throughput";
    return [
      compare({
        figure,
        unit: "items/s",
        value: perSecond(totals.ours),
        against: "the same writer, one record per invocation",
        reference: perSecond(totals.baseline),
        target: atLeast(2),
      }),
      compare({
        figure,
        unit: "items/s",
        value: perSecond(totals.ours),
        against: `raw BatchWriteItem, ${BATCH_WRITE} items per request (limit)`,
        reference: perSecond(totals.raw),
      }),
    ];
  } finally {
    await ours.fn.close();
    await baseline.fn.close();
  }
};
