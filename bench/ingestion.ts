import { BatchWriteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { SQSRecord } from "aws-lambda";
import { sampleMessage } from "local-cloud";
import { createTableFromTemplate } from "local-cloud/testing";
import { batchesOf, benchFunction, buildProperties, bundleEntry, invokeOk, sqsRecords } from "./functions";
import type { OutputSink } from "./output-sink";
import { atLeast, type BenchRow, compare } from "./results";
import { sideBySide } from "./stats";

/** Messages per ingestion invocation: the template's MessageBatchSize default. */
export const INGEST_BATCH = 10;

/** `count` sample messages (sqs-example.json's shape) for 100 things, each with its own epochTime. */
const messageBodies = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => JSON.stringify(sampleMessage(`${prefix}${i % 100}`, 1_767_225_600 + i)));

/**
 * The machine's limit for ingestion's writes: BatchWriteItem straight from this process, the same
 * number of items per request as one invocation writes, one request in flight at a time (one
 * function environment), items of the same shape; unprocessed items are resent until none are left.
 */
const rawBatchWrites = async (dynamodb: DynamoDBClient, tableName: string, bodies: readonly string[]): Promise<void> => {
  for (let i = 0; i < bodies.length; i += INGEST_BATCH) {
    let requests = bodies.slice(i, i + INGEST_BATCH).map((body, j) => {
      const message = JSON.parse(body) as Record<string, string>;
      const messageId = `${String(message["epochTime"]).padStart(16, "0")}-${String(1_767_225_600_000 + i + j).padStart(13, "0")}-raw-${i + j}`;
      return { PutRequest: { Item: marshall({ uuid: message["thingName"], messageId, body: message }) } };
    });
    while (requests.length > 0) {
      const written = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      requests = (written.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
};

export interface IngestionBenchOptions {
  readonly endpointUrl: string;
  readonly dynamodb: DynamoDBClient;
  readonly deadLetterQueueUrl: string;
  readonly sink: OutputSink;
  readonly outdir: string;
  readonly messages: number;
}

/**
 * Ingestion throughput: ours (batches of 10, one BatchWriteItem each), the one-message-per-invocation
 * baseline, and raw BatchWriteItem. Notifications are off for ours (PublishNotifications=false): the
 * figure is messages into the table, which is all the baseline and the limit do.
 */
export const benchIngestion = async (options: IngestionBenchOptions): Promise<BenchRow[]> => {
  const properties = buildProperties("IngestMessagesFunction");
  const [ours, baseline] = await Promise.all([
    bundleEntry(properties.EntryPoints[0] as string, properties, `${options.outdir}/ingest`),
    bundleEntry("bench/baselines/ingest-one-by-one.ts", properties, `${options.outdir}/ingest-baseline`),
  ]);
  const tables = { ours: "BenchMessagesOurs", baseline: "BenchMessagesBaseline", raw: "BenchMessagesRaw" };
  for (const table of Object.values(tables)) await createTableFromTemplate(options.dynamodb, "MessagesTable", table);
  const common = { endpointUrl: options.endpointUrl, sink: options.sink };
  const ourFunction = benchFunction({
    ...common,
    name: "message-ingestion",
    bundlePath: ours,
    environment: {
      MESSAGES_TABLE_NAME: tables.ours,
      MESSAGES_DLQ_URL: options.deadLetterQueueUrl,
      UUID_KEY: "thingName",
      MESSAGE_ID_KEY: "epochTime",
      MESSAGE_ID_FORMAT: "padded",
      MESSAGE_RETENTION_DAYS: "0",
      PUBLISH_NOTIFICATIONS: "false",
      IOT_DATA_ENDPOINT: "",
    },
  });
  const baselineFunction = benchFunction({
    ...common,
    name: "ingest-baseline",
    bundlePath: baseline,
    environment: { MESSAGES_TABLE_NAME: tables.baseline },
  });
  try {
    await invokeOk(ourFunction, { Records: sqsRecords(messageBodies("warm", 1), "warm") });
    await invokeOk(baselineFunction, { Records: sqsRecords(messageBodies("warm", 1), "warm") });
    await rawBatchWrites(options.dynamodb, tables.raw, messageBodies("warm", 1));

    const bodies = messageBodies("thing", options.messages);
    const records = sqsRecords(bodies, "ingest");
    const work = bodies.map((body, i) => ({ body, record: records[i] as SQSRecord }));
    const totals = await sideBySide(work, Math.max(1, Math.round(options.messages / 500)), {
      raw: (part) =>
        rawBatchWrites(
          options.dynamodb,
          tables.raw,
          part.map(({ body }) => body),
        ),
      ours: async (part) => {
        for (const batch of batchesOf(
          part.map(({ record }) => record),
          INGEST_BATCH,
        ))
          await invokeOk(ourFunction, batch);
      },
      baseline: async (part) => {
        for (const { record } of part) await invokeOk(baselineFunction, { Records: [record] });
      },
    });
    const perSecond = (ms: number): number => options.messages / (ms / 1000);
    const figure = "ingestion throughput";
    return [
      compare({
        figure,
        unit: "messages/s",
        value: perSecond(totals.ours),
        against: "one message per invocation",
        reference: perSecond(totals.baseline),
        target: atLeast(3),
      }),
      compare({
        figure,
        unit: "messages/s",
        value: perSecond(totals.ours),
        against: `raw BatchWriteItem, ${INGEST_BATCH} items per request (limit)`,
        reference: perSecond(totals.raw),
        target: atLeast(0.8),
      }),
    ];
  } finally {
    await ourFunction.close();
    await baselineFunction.close();
  }
};
