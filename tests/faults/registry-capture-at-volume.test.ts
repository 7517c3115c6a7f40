import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { NativeAttributeValue } from "@aws-sdk/util-dynamodb";
import { replicaTableName } from "local-cloud";
import { eventually, LOCAL_CREDENTIALS, useLocalCloud } from "local-cloud/testing";
import mqtt from "mqtt";
import { itemToRecord } from "../../src/adapters/dynamodb-replica-items";
import { parseRegistryEvent } from "../../src/domain/registry/parse-registry-event";
import { entityKey, type ReplicaRecord, toReplicaRecord } from "../../src/domain/registry/replica-record";
import { InMemoryReplica } from "../support/in-memory-replica";
import {
  drained,
  FULL_VOLUME,
  faultCounts,
  faultsBetween,
  faultsVolume,
  messagesProcessed,
  physicalId,
  putFaults,
  queueDepth,
  readAll,
  scanAll,
  shortenVisibilityTimeout,
} from "./support/fault-run";
import { registryEventTopic, registryWorkload } from "./support/registry-workload";

const REGION = "us-east-1";
const READER = "us-west-2";
const EVENTS = faultsVolume();
const SEED = 12;
const FAULTS = {
  seed: SEED,
  duplicate: 0.1,
  reorderMs: 200,
  throttle: [{ service: "dynamodb", region: REGION, operation: "*", probability: 0.2 }],
  crash: 0.1,
};
/** Publishes in flight at once on the MQTT connection (QoS 1: each one acknowledged by the broker). */
const PUBLISH_WINDOW = 100;

/**
 * Under 20% throttling every batch waits for the SDK's throttling backoff (up to 1 s, then 2 s, with
 * jitter) and the local cloud runs one batch at a time (Lambda would run several): batches of 100, the
 * template's largest, as an operator facing throttling would set, quarter the number of waits.
 */
const local = useLocalCloud({
  restartableDynamoDb: true,
  parameterOverrides: { LogLevel: "WARN", CaptureBatchSize: "100", PrimaryRegion: "" },
});

/** A client that rides out 20% throttling and a restart as an operator's would: the SDK's retries. */
const dynamodbIn = (region: string) =>
  new DynamoDBClient({ region, endpoint: local.cloud().aws.url, credentials: LOCAL_CREDENTIALS, maxAttempts: 30 });

/** A record as comparable text: status, ordering stamp and fields (empty maps are not stored). */
const comparable = (record: ReplicaRecord): string =>
  JSON.stringify({
    status: record.status,
    stamp: record.stamp,
    fields: Object.fromEntries(
      Object.entries(record.fields)
        .filter(([, value]) => !(value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0))
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  });

const replicaIn = async (dynamodb: DynamoDBClient): Promise<Map<string, string>> =>
  new Map(
    (await scanAll(dynamodb, replicaTableName(local.cloud())))
      .map((item) => itemToRecord(item as Record<string, NativeAttributeValue>))
      .filter((record) => record.sourceRegion === REGION)
      .map((record) => [entityKey(record.entityType, record.entityName), comparable(record)]),
  );

/** Keys on which the replica and the in-order reference disagree, with both sides. */
const differences = (expected: Map<string, string>, actual: Map<string, string>) =>
  [...new Set([...expected.keys(), ...actual.keys()])]
    .filter((key) => expected.get(key) !== actual.get(key))
    .sort()
    .map((key) => ({ key, expected: expected.get(key) ?? "absent", actual: actual.get(key) ?? "absent" }));

describe(`registry capture at volume: ${EVENTS} events, DynamoDB Local restarted mid-run, 20% DynamoDB throttling`, () => {
  it("stores every entity at its last event, no stale event winning, nothing dead-lettered, every fault fired", async () => {
    const cloud = local.cloud();
    const sqs = cloud.clients(REGION).sqs;
    const eventsQueue = physicalId(cloud, REGION, "RegistryEventsQueue");
    const deadLetters = physicalId(cloud, REGION, "CaptureDeadLetterQueue");
    await shortenVisibilityTimeout(sqs, eventsQueue, 90);

    const history = registryWorkload(SEED, EVENTS, Date.now());
    const context = { sourceRegion: REGION, now: Date.now(), tombstoneTtlSeconds: 86_400 };
    const reference = new InMemoryReplica();
    for (const event of history.events)
      reference.apply(
        parseRegistryEvent(event)
          .andThen((parsed) => toReplicaRecord(parsed, context))
          ._unsafeUnwrap(),
      );
    const expected = new Map([...reference.byEntity(REGION)].map(([key, record]) => [key, comparable(record)]));
    // The reference (every event applied once, in order) is the simulated registry's final state.
    const active = [...reference.byEntity(REGION)].filter(([, record]) => record.status === "ACTIVE").map(([key]) => key);
    expect(active.sort()).toEqual([...history.live.keys()].sort());

    const before = await faultCounts(cloud);
    await putFaults(cloud, FAULTS);
    const startedAt = Date.now();
    // AWS IoT publishes registry events on its broker; so does this test, at the rule the template wires.
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.aws.hub.portFor(REGION)}`, { clientId: "registry-events" });
    const publishing = (async () => {
      for (let start = 0; start < history.events.length; start += PUBLISH_WINDOW)
        await Promise.all(
          history.events
            .slice(start, start + PUBLISH_WINDOW)
            .map((event) => publisher.publishAsync(registryEventTopic(event), JSON.stringify(event), { qos: 1 })),
        );
    })();
    const restartAfter = await eventually(
      async () => messagesProcessed(local.activity, `CaptureRegistryEventFunction@${REGION}`),
      (processed) => processed >= EVENTS * 0.3,
      300_000,
    );
    const restartStartedAt = Date.now();
    await cloud.aws.dynamoDbLocal.restart();
    const restartMs = Date.now() - restartStartedAt;
    await publishing;
    await publisher.endAsync();
    const publishedMs = Date.now() - startedAt;
    await drained(sqs, eventsQueue, 600_000);
    const capturedMs = Date.now() - startedAt;
    const injected = faultsBetween(before, await faultCounts(cloud));
    await putFaults(cloud, {});

    const source = dynamodbIn(REGION);
    const reader = dynamodbIn(READER);
    try {
      expect(differences(expected, await replicaIn(source))).toEqual([]);
      // Global-table replication went on through the restart: a third region reads the same replica.
      const replicated = await eventually(
        async () => differences(expected, await replicaIn(reader)),
        (diff) => diff.length === 0,
        120_000,
      ).catch((error: Error) => error.message);
      expect(replicated).toEqual([]);
    } finally {
      source.destroy();
      reader.destroy();
    }
    expect(await readAll(sqs, deadLetters)).toEqual([]);
    expect(await queueDepth(sqs, eventsQueue)).toBe(0);
    // Each kind fires many times at 10,000 records; a quick FAULTS_VOLUME run may miss a rare one.
    if (FULL_VOLUME)
      for (const where of [
        `duplicate/sqs`,
        `duplicate/topic-rule`,
        `throttle/dynamodb/${REGION}`,
        `crash/${cloud.regions.get(REGION)?.functions.get("CaptureRegistryEventFunction")?.options.functionName}`,
      ])
        expect({ where, fired: (injected[where] ?? 0) > 0 }).toEqual({ where, fired: true });
    expect(restartAfter).toBeLessThan(EVENTS);
    console.log(
      `capture at volume: ${EVENTS} events (${expected.size} entities, ${active.length} live) published in ${publishedMs} ms, captured in ${capturedMs} ms (${((EVENTS / capturedMs) * 1000).toFixed(0)} events/s); DynamoDB Local restarted after ${restartAfter} events (${restartMs} ms); faults injected ${JSON.stringify(injected)}`,
    );
  }, 1_200_000);
});
