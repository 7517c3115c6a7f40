import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { CreateThingCommand, DeleteThingCommand, DescribeThingCommand } from "@aws-sdk/client-iot";
import { UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { replicaTableName } from "local-cloud";
import { eventually, useLocalCloud } from "local-cloud/testing";
import { createDynamoDbReplicaStore } from "../../src/adapters/dynamodb-replica-store";
import { type ReplicaRecord, snapshotToRecord } from "../../src/domain/registry/replica-record";
import { disasterRecovery, missing, PRIMARY, SECONDARY, WAIT_MS } from "./support/disaster-recovery";

/**
 * Disaster recovery when things go wrong, on the local cloud through the deployed applier and redrive:
 * the secondary's IoT API throttled, a record that can never be applied, a stream batch Lambda gave
 * up on, and the sample events of both functions.
 */
const local = useLocalCloud();
const { iot, shadows, shadowState, enableRegistryEvents } = disasterRecovery(local.cloud);

beforeAll(enableRegistryEvents);

describe(`disaster recovery under failures: ${PRIMARY} (primary) -> ${SECONDARY} (secondary)`, () => {
  const deadLetterQueueUrl = () => local.cloud().regions.get(SECONDARY)?.resources.get("ApplyDeadLetterQueue")?.physicalId as string;
  /** Visible, in flight and delayed (deferred) messages of the applier's dead-letter queue. */
  const parkedCount = async () =>
    Object.values(
      (
        await local
          .cloud()
          .clients(SECONDARY)
          .sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: deadLetterQueueUrl(),
              AttributeNames: [
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
              ],
            }),
          )
      ).Attributes ?? {},
    ).reduce((sum, count) => sum + Number(count), 0);

  it(`converges with 20% of ${SECONDARY}'s IoT calls throttled, and nothing is dead-lettered`, async () => {
    const rules = {
      seed: 7,
      throttle: [
        { service: "iot", region: SECONDARY, operation: "*", probability: 0.2 },
        { service: "iotdata", region: SECONDARY, operation: "*", probability: 0.2 },
      ],
    };
    const put = await fetch(`${local.cloud().aws.url}/_local/faults`, { method: "PUT", body: JSON.stringify(rules) });
    expect(put.status).toBe(200);
    try {
      const names = Array.from({ length: 12 }, (_, index) => `DrFleet${index}`);
      const started = Date.now();
      for (const [index, thingName] of names.entries()) {
        await iot(PRIMARY).send(new CreateThingCommand({ thingName, attributePayload: { attributes: { index: String(index) } } }));
        await shadows(PRIMARY).send(
          new UpdateThingShadowCommand({
            thingName,
            payload: new TextEncoder().encode(JSON.stringify({ state: { reported: { index } } })),
          }),
        );
      }
      const arrived = async () => {
        let count = 0;
        for (const [index, thingName] of names.entries()) {
          const thing = await missing(
            local
              .cloud()
              .clients(SECONDARY)
              .iot.send(new DescribeThingCommand({ thingName }))
              .catch(() => "missing" as const),
          );
          const state = await shadowState(SECONDARY, thingName).catch(() => "missing" as const);
          if (thing !== "missing" && thing.attributes?.["index"] === String(index) && isDeepStrictEqual(state, { reported: { index } }))
            count += 1;
        }
        return count;
      };
      await eventually(arrived, (count) => count === names.length, 120_000);
      process.stdout.write(`dr-apply: ${names.length} things and shadows converged under 20% throttling in ${Date.now() - started} ms\n`);
    } finally {
      await fetch(`${local.cloud().aws.url}/_local/faults`, { method: "PUT", body: JSON.stringify({ seed: 1 }) });
    }
    expect(await parkedCount()).toBe(0);
  });

  it("parks a primary record that can never be applied, with the reason naming the field", async () => {
    const now = Date.now();
    const valid = snapshotToRecord(
      { entityType: "policy", state: { policyName: "DrBroken", policyDocument: "{}", defaultVersionId: "1" } },
      now,
      { sourceRegion: PRIMARY, now, tombstoneTtlSeconds: 86_400 },
    )._unsafeUnwrap();
    const broken: ReplicaRecord = { ...valid, fields: { ...valid.fields, PolicyDocument: "not a document" } };
    await createDynamoDbReplicaStore(local.cloud().clients(PRIMARY).dynamodb, replicaTableName(local.cloud())).putIfNewer(broken);
    const received = await eventually(
      async () =>
        (
          await local
            .cloud()
            .clients(SECONDARY)
            .sqs.send(
              new ReceiveMessageCommand({ QueueUrl: deadLetterQueueUrl(), MessageAttributeNames: ["failureReason"], VisibilityTimeout: 1 }),
            )
        ).Messages ?? [],
      (messages) => messages.some((message) => message.Body === JSON.stringify({ entityKey: "policy#DrBroken" })),
      WAIT_MS,
    );
    const parked = received.find((message) => message.Body === JSON.stringify({ entityKey: "policy#DrBroken" }));
    expect(parked?.MessageAttributes?.["failureReason"]?.StringValue).toBe(
      "InvalidEvent: policy#DrBroken: PolicyDocument: is not a JSON policy document",
    );
  });

  it("the redrive re-applies a stream range Lambda gave up on (read back with GetRecords) and deletes its message", async () => {
    const secondary = local.cloud().clients(SECONDARY);
    await iot(PRIMARY).send(new CreateThingCommand({ thingName: "DrRedriven", attributePayload: { attributes: { v: "1" } } }));
    await eventually(
      () => missing(secondary.iot.send(new DescribeThingCommand({ thingName: "DrRedriven" }))),
      (found) => found !== "missing",
      WAIT_MS,
    );
    // As if the apply had been lost: the secondary no longer has it, and Lambda sent its range to the OnFailure queue.
    await secondary.iot.send(new DeleteThingCommand({ thingName: "DrRedriven" }));
    const streamArn = local.cloud().regions.get(SECONDARY)?.resources.get("ReplicaStream")?.physicalId as string;
    const { StreamDescription } = await secondary.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    let range: { shardId: string; sequenceNumber: string } | undefined;
    for (const shard of StreamDescription?.Shards ?? []) {
      let iterator = (
        await secondary.streams.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }),
        )
      ).ShardIterator;
      while (iterator && !range) {
        const page = await secondary.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        const found = page.Records?.find(
          (record) => record.dynamodb?.Keys?.["EntityKey"]?.S === "thing#DrRedriven" && record.dynamodb?.Keys?.["AWSRegion"]?.S === PRIMARY,
        );
        if (found) range = { shardId: shard.ShardId as string, sequenceNumber: found.dynamodb?.SequenceNumber as string };
        if ((page.Records ?? []).length === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    expect(range).toBeDefined();
    await secondary.sqs.send(
      new SendMessageCommand({
        QueueUrl: deadLetterQueueUrl(),
        MessageBody: JSON.stringify({
          requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: 11 },
          DDBStreamBatchInfo: {
            shardId: range?.shardId,
            startSequenceNumber: range?.sequenceNumber,
            endSequenceNumber: range?.sequenceNumber,
            batchSize: 1,
            streamArn,
          },
        }),
      }),
    );
    const redrive = local.cloud().regions.get(SECONDARY)?.functions.get("RedriveParkedChangesFunction");
    const outcome = await redrive?.invoke({ source: "aws.events", "detail-type": "Scheduled Event" });
    expect(outcome?.ok).toBe(true);
    expect(await secondary.iot.send(new DescribeThingCommand({ thingName: "DrRedriven" }))).toMatchObject({ attributes: { v: "1" } });
    // The broken policy of the previous test stays parked (it can never be applied); the stream range is gone.
    expect(outcome?.ok ? outcome.result : undefined).toEqual({ redriven: 1, kept: 1 });
  });

  it("events/apply-thing-changed.json and events/redrive-scheduled.json, invoked as `npm run invoke` does", async () => {
    const secondary = local.cloud().clients(SECONDARY).iot;
    await iot(PRIMARY).send(new CreateThingCommand({ thingName: "MyLightBulb5", attributePayload: { attributes: { wattage: "60" } } }));
    await eventually(
      () => missing(secondary.send(new DescribeThingCommand({ thingName: "MyLightBulb5" }))),
      (found) => found !== "missing",
      WAIT_MS,
    );
    await secondary.send(new DeleteThingCommand({ thingName: "MyLightBulb5" }));
    const functions = local.cloud().regions.get(SECONDARY)?.functions;
    const sample = (file: string): unknown => JSON.parse(readFileSync(join(__dirname, "..", "..", "events", file), "utf8"));
    const applied = await functions?.get("ApplyPrimaryChangesFunction")?.invoke(sample("apply-thing-changed.json"));
    expect(applied?.ok ? applied.result : applied).toEqual({ batchItemFailures: [] });
    // The event only names the key: the thing comes back from the primary's current record.
    expect(await secondary.send(new DescribeThingCommand({ thingName: "MyLightBulb5" }))).toMatchObject({ attributes: { wattage: "60" } });
    const redriven = await functions?.get("RedriveParkedChangesFunction")?.invoke(sample("redrive-scheduled.json"));
    // Nothing visible to redrive: the broken policy's message stays invisible for the queue's visibility timeout after the last run received it.
    expect(redriven?.ok ? redriven.result : redriven).toEqual({ redriven: 0, kept: 0 });
  });
});
