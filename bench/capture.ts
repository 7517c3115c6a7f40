import { ConditionalCheckFailedException, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { SQSRecord } from "aws-lambda";
import { createTableFromTemplate } from "local-cloud/testing";
import { batchesOf, benchFunction, buildProperties, bundleEntry, invokeOk, REGION, sqsRecords } from "./functions";
import type { OutputSink } from "./output-sink";
import { atLeast, type BenchRow, compare } from "./results";
import { sideBySide } from "./stats";

/** Events per capture invocation: the template's CaptureBatchSize default. */
export const CAPTURE_BATCH = 25;

export interface ThingEventBody {
  readonly eventType: "THING_EVENT";
  readonly eventId: string;
  readonly timestamp: number;
  readonly operation: "CREATED" | "UPDATED";
  readonly accountId: string;
  readonly thingId: string;
  readonly thingName: string;
  readonly versionNumber: number;
  readonly thingTypeName: null;
  readonly attributes: Record<string, string>;
}

/** `count` fresh registry events for things named `{prefix}-{n}`: 500 things, each updated in turn. */
export const thingEvents = (prefix: string, count: number): ThingEventBody[] =>
  Array.from({ length: count }, (_, i) => ({
    eventType: "THING_EVENT",
    eventId: `${prefix}-e-${i}`,
    timestamp: 1_767_225_600_000 + i,
    operation: i < 500 ? "CREATED" : "UPDATED",
    accountId: "123456789012",
    thingId: `${prefix}-id-${i % 500}`,
    thingName: `${prefix}-${i % 500}`,
    versionNumber: Math.floor(i / 500) + 1,
    thingTypeName: null,
    attributes: { color: "red", wattage: String(i % 100) },
  }));

/**
 * The machine's limit for the capture's writes: the same number of conditional PutItems, issued
 * straight from this process with the concurrency the capture function uses (one batch of 25 in
 * flight at a time), items of the same shape and an ordering condition on the stored version.
 */
const rawConditionalPuts = async (dynamodb: DynamoDBClient, tableName: string, events: readonly ThingEventBody[]): Promise<void> => {
  for (let i = 0; i < events.length; i += CAPTURE_BATCH) {
    await Promise.all(
      events.slice(i, i + CAPTURE_BATCH).map(async (event) => {
        try {
          await dynamodb.send(
            new PutItemCommand({
              TableName: tableName,
              Item: marshall({
                EntityKey: `thing#${event.thingName}`,
                AWSRegion: REGION,
                EntityType: "thing",
                EntityName: event.thingName,
                NameRegion: `${event.thingName}#${REGION}`,
                Status: "present",
                thingId: event.thingId,
                attributes: event.attributes,
                OrderOrigin: "registry",
                OrderVersion: event.versionNumber,
                OrderRank: 0,
                OrderTimestamp: event.timestamp,
                OrderEventId: event.eventId,
              }),
              ConditionExpression: "attribute_not_exists(EntityKey) OR OrderVersion < :ver",
              ExpressionAttributeValues: { ":ver": { N: String(event.versionNumber) } },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }),
    );
  }
};

export interface CaptureBenchOptions {
  readonly endpointUrl: string;
  readonly dynamodb: DynamoDBClient;
  readonly deadLetterQueueUrl: string;
  readonly sink: OutputSink;
  readonly outdir: string;
  readonly events: number;
}

/** Capture throughput: ours (batches of 25), the one-by-one read-then-write baseline, and raw PutItem. */
export const benchCapture = async (options: CaptureBenchOptions): Promise<BenchRow[]> => {
  const properties = buildProperties("CaptureRegistryEventFunction");
  const [ours, baseline] = await Promise.all([
    bundleEntry(properties.EntryPoints[0] as string, properties, `${options.outdir}/capture`),
    bundleEntry("bench/baselines/capture-one-by-one.ts", properties, `${options.outdir}/capture-baseline`),
  ]);
  const tables = { ours: "BenchCaptureOurs", baseline: "BenchCaptureBaseline", raw: "BenchCaptureRaw" };
  for (const table of Object.values(tables)) await createTableFromTemplate(options.dynamodb, "ReplicaTable", table);
  const environment = (table: string) => ({
    REPLICA_TABLE_NAME: table,
    CAPTURE_DLQ_URL: options.deadLetterQueueUrl,
    TOMBSTONE_TTL_DAYS: "30",
  });
  const common = { endpointUrl: options.endpointUrl, sink: options.sink };
  const ourFunction = benchFunction({ ...common, name: "registry-capture", bundlePath: ours, environment: environment(tables.ours) });
  const baselineFunction = benchFunction({
    ...common,
    name: "capture-baseline",
    bundlePath: baseline,
    environment: environment(tables.baseline),
  });
  try {
    // Cold starts and first connections happen outside the measurements.
    await invokeOk(ourFunction, {
      Records: sqsRecords(
        thingEvents("warm", 1).map((e) => JSON.stringify(e)),
        "warm",
      ),
    });
    await invokeOk(baselineFunction, {
      Records: sqsRecords(
        thingEvents("warm", 1).map((e) => JSON.stringify(e)),
        "warm",
      ),
    });
    await rawConditionalPuts(options.dynamodb, tables.raw, thingEvents("warm", 1));

    // Each part is a run of whole batches (slices of 500 events: 20 of ours, 500 of the baseline's).
    const events = thingEvents("thing", options.events).map((event, i) => ({
      event,
      record: sqsRecords([JSON.stringify(event)], `capture-${i}`)[0] as SQSRecord,
    }));
    const totals = await sideBySide(events, Math.max(1, Math.round(options.events / 500)), {
      raw: (part) =>
        rawConditionalPuts(
          options.dynamodb,
          tables.raw,
          part.map(({ event }) => event),
        ),
      ours: async (part) => {
        for (const batch of batchesOf(
          part.map(({ record }) => record),
          CAPTURE_BATCH,
        ))
          await invokeOk(ourFunction, batch);
      },
      baseline: async (part) => {
        for (const { record } of part) await invokeOk(baselineFunction, { Records: [record] });
      },
    });
    const perSecond = (ms: number): number => options.events / (ms / 1000);
    const figure = "capture throughput";
    return [
      compare({
        figure,
        unit: "events/s",
        value: perSecond(totals.ours),
        against: "one event per invocation, read-then-write",
        reference: perSecond(totals.baseline),
        target: atLeast(3),
      }),
      compare({
        figure,
        unit: "events/s",
        value: perSecond(totals.ours),
        against: `raw conditional PutItem, ${CAPTURE_BATCH} in flight (limit)`,
        reference: perSecond(totals.raw),
        target: atLeast(0.8),
      }),
    ];
  } finally {
    await ourFunction.close();
    await baselineFunction.close();
  }
};
