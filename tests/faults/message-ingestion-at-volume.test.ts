import { isDeepStrictEqual } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { messagesQueueUrl, sampleMessage } from "local-cloud";
import { LOCAL_CREDENTIALS, useLocalCloud } from "local-cloud/testing";
import {
  drained,
  FULL_VOLUME,
  faultCounts,
  faultsBetween,
  faultsVolume,
  physicalId,
  putFaults,
  queueDepth,
  readAll,
  scanAll,
  shortenVisibilityTimeout,
} from "./support/fault-run";

const REGION = "us-east-1";
const MESSAGES = faultsVolume();
/** Known-bad messages (not JSON) mixed in: each must reach the DLQ with its reason, and nothing else may. */
const BAD_EVERY = 200;
const SEED = 10;
const FAULTS = {
  seed: SEED,
  duplicate: 0.1,
  reorderMs: 100,
  throttle: [{ service: "dynamodb", region: REGION, operation: "*", probability: 0.2 }],
  crash: 0.1,
};

/**
 * Batches of 100 (the template's largest; BatchWriteItem takes 25 per request): under 20% throttling
 * each batch waits for the SDK's throttling backoff, and the local cloud runs one batch at a time.
 */
const local = useLocalCloud({ parameterOverrides: { LogLevel: "WARN", MessageBatchSize: "100" } });

describe(`message ingestion at volume: ${MESSAGES} messages, 10% duplicate deliveries, crashes mid-batch, 20% DynamoDB throttling`, () => {
  it("stores each message exactly once with its body, dead-letters exactly the known-bad ones, every fault fired", async () => {
    const cloud = local.cloud();
    const sqs = cloud.clients(REGION).sqs;
    const queue = messagesQueueUrl(cloud, REGION);
    const deadLetters = physicalId(cloud, REGION, "MessagesDeadLetterQueue");
    await shortenVisibilityTimeout(sqs, queue, 90);

    const bodies = Array.from({ length: MESSAGES }, (_, n) => JSON.stringify(sampleMessage(`thing-${n % 500}`, 1_700_000_000 + n)));
    const bad = Array.from({ length: MESSAGES / BAD_EVERY }, (_, n) => `{"thingName": "bad-${n}", truncated`);
    const outgoing = bodies.flatMap((body, n) => (n % BAD_EVERY === 0 ? [body, bad[n / BAD_EVERY] as string] : [body]));

    const before = await faultCounts(cloud);
    await putFaults(cloud, FAULTS);
    const startedAt = Date.now();
    const sent = new Map<string, string>();
    const batches = Array.from({ length: Math.ceil(outgoing.length / 10) }, (_, n) => outgoing.slice(n * 10, n * 10 + 10));
    for (let start = 0; start < batches.length; start += 10)
      await Promise.all(
        batches.slice(start, start + 10).map(async (batch) => {
          const { Successful = [], Failed = [] } = await sqs.send(
            new SendMessageBatchCommand({ QueueUrl: queue, Entries: batch.map((body, id) => ({ Id: String(id), MessageBody: body })) }),
          );
          expect(Failed).toEqual([]);
          for (const entry of Successful) sent.set(entry.MessageId as string, batch[Number(entry.Id)] as string);
        }),
      );
    const sentMs = Date.now() - startedAt;
    await drained(sqs, queue, 600_000);
    const ingestedMs = Date.now() - startedAt;
    const injected = faultsBetween(before, await faultCounts(cloud));
    await putFaults(cloud, {});

    const dynamodb = new DynamoDBClient({ region: REGION, endpoint: cloud.aws.url, credentials: LOCAL_CREDENTIALS, maxAttempts: 30 });
    const items = await scanAll(dynamodb, physicalId(cloud, REGION, "MessagesTable")).finally(() => dynamodb.destroy());
    // Exactly one item per good message, keyed by its SQS message id (the last part of messageId), with its body.
    const stored = new Map(items.map((item) => [String(item["messageId"]).split("-").slice(2).join("-"), item]));
    expect({ items: items.length, distinct: stored.size }).toEqual({ items: MESSAGES, distinct: MESSAGES });
    const wrong = [...sent]
      .filter(([, body]) => !bad.includes(body))
      .filter(([id, body]) => {
        const item = stored.get(id);
        return !item || item["uuid"] !== JSON.parse(body).thingName || !isDeepStrictEqual(item["body"], JSON.parse(body));
      });
    expect(wrong).toEqual([]);

    // The DLQ holds the known-bad messages and nothing else, each with its reason. A crashed or
    // duplicated batch may dead-letter a bad message twice (SQS and its DLQ are at-least-once).
    const dead = await readAll(sqs, deadLetters);
    expect([...new Set(dead.map((message) => message.Body))].sort()).toEqual([...bad].sort());
    for (const message of dead) expect(message.MessageAttributes?.["failureReason"]?.StringValue).toMatch(/^InvalidEvent: /);
    expect(await queueDepth(sqs, queue)).toBe(0);
    const functionName = cloud.regions.get(REGION)?.functions.get("IngestMessagesFunction")?.options.functionName;
    // Each kind fires many times at 10,000 records; a quick FAULTS_VOLUME run may miss a rare one.
    if (FULL_VOLUME)
      for (const where of ["duplicate/sqs", `throttle/dynamodb/${REGION}`, `crash/${functionName}`])
        expect({ where, fired: (injected[where] ?? 0) > 0 }).toEqual({ where, fired: true });
    console.log(
      `ingestion at volume: ${MESSAGES} messages + ${bad.length} bad sent in ${sentMs} ms, ingested in ${ingestedMs} ms (${((MESSAGES / ingestedMs) * 1000).toFixed(0)} messages/s); ${dead.length} DLQ copies of ${bad.length} bad; faults injected ${JSON.stringify(injected)}`,
    );
  }, 1_200_000);
});
