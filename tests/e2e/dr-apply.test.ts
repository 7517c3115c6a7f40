import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import {
  AddThingToThingGroupCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  DescribeThingTypeCommand,
  GetPolicyCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListThingGroupsForThingCommand,
  ListThingPrincipalsCommand,
  RemoveThingFromThingGroupCommand,
  UpdateEventConfigurationsCommand,
  UpdateThingCommand,
} from "@aws-sdk/client-iot";
import {
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  IoTDataPlaneClient,
  UpdateThingShadowCommand,
} from "@aws-sdk/client-iot-data-plane";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { replicaTableName } from "local-cloud";
import { eventually, useLocalCloud } from "local-cloud/testing";
import { createDynamoDbReplicaStore } from "../../src/adapters/dynamodb-replica-store";
import type { Entity } from "../../src/domain/registry/entity-kinds";
import { Origin, Rank } from "../../src/domain/registry/ordering";
import { type ReplicaRecord, snapshotToRecord } from "../../src/domain/registry/replica-record";

/**
 * Disaster recovery on the local cloud, through the deployed applier: samconfig.toml makes us-east-1
 * the primary; what changes there (registry events and shadows, captured into the global table; and
 * certificates, policies and attachments, written here as the sweep would write them) arrives in
 * us-west-2's registry and shadows, deletes included, in a safe order.
 */
const local = useLocalCloud();
const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";
const WAIT_MS = 60_000;

const iot = (region: string): IoTClient => local.cloud().clients(region).iot;
const shadows = (region: string) =>
  new IoTDataPlaneClient({ region, endpoint: local.cloud().aws.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });

const missing = async <T>(call: Promise<T>): Promise<T | "missing"> => {
  try {
    return await call;
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return "missing";
    throw error;
  }
};

const shadowState = async (region: string, thingName: string, shadowName?: string) => {
  const found = await missing(shadows(region).send(new GetThingShadowCommand({ thingName, shadowName })));
  if (found === "missing") return "missing";
  // Without `delta`, which AWS computes: the document is desired and reported.
  const { desired, reported } = (JSON.parse(new TextDecoder().decode(found.payload)) as { state: Record<string, unknown> }).state;
  return { ...(desired === undefined ? {} : { desired }), ...(reported === undefined ? {} : { reported }) };
};

/** Writes a primary record as the sweep does (certificates, policies and attachments have no events). */
const sweep = async (entity: Entity, ended = false): Promise<void> => {
  const now = Date.now();
  const live = snapshotToRecord(entity, now, { sourceRegion: PRIMARY, now, tombstoneTtlSeconds: 86_400 })._unsafeUnwrap();
  const record: ReplicaRecord = ended
    ? { ...live, status: "DELETED", fields: {}, expiresAt: Math.floor(now / 1000) + 86_400, stamp: { ...live.stamp, rank: Rank.Delete } }
    : live;
  expect(record.stamp.origin).toBe(Origin.Snapshot);
  expect(
    await createDynamoDbReplicaStore(local.cloud().clients(PRIMARY).dynamodb, replicaTableName(local.cloud())).putIfNewer(record),
  ).toEqual(expect.objectContaining({ value: "stored" }));
};

beforeAll(async () => {
  const all = ["THING", "THING_TYPE", "THING_TYPE_ASSOCIATION", "THING_GROUP", "THING_GROUP_MEMBERSHIP", "THING_GROUP_HIERARCHY"];
  await iot(PRIMARY).send(
    new UpdateEventConfigurationsCommand({ eventConfigurations: Object.fromEntries(all.map((type) => [type, { Enabled: true }])) }),
  );
});

describe(`disaster recovery: ${PRIMARY} (primary) -> ${SECONDARY} (secondary) through the deployed applier`, () => {
  it("deploys the applier and the redrive in the secondaries only", () => {
    const functions = (region: string) => [...(local.cloud().regions.get(region)?.functions.keys() ?? [])];
    expect(functions(PRIMARY)).not.toContain("ApplyPrimaryChangesFunction");
    for (const region of [SECONDARY, "eu-west-1"])
      expect(functions(region)).toEqual(expect.arrayContaining(["ApplyPrimaryChangesFunction", "RedriveParkedChangesFunction"]));
  });

  it("things, types, groups with their parent, memberships, type associations and shadows arrive, updates and removals too", async () => {
    const primary = iot(PRIMARY);
    const started = Date.now();
    await primary.send(new CreateThingTypeCommand({ thingTypeName: "DrSensor", thingTypeProperties: { thingTypeDescription: "sensors" } }));
    await primary.send(
      new CreateThingGroupCommand({
        thingGroupName: "DrSite",
        thingGroupProperties: { attributePayload: { attributes: { city: "Lyon" } } },
      }),
    );
    await primary.send(new CreateThingGroupCommand({ thingGroupName: "DrFloor", parentGroupName: "DrSite" }));
    await primary.send(
      new CreateThingCommand({
        thingName: "DrDevice",
        thingTypeName: "DrSensor",
        attributePayload: { attributes: { model: "a", serial: "1" } },
      }),
    );
    await primary.send(new AddThingToThingGroupCommand({ thingGroupName: "DrFloor", thingName: "DrDevice" }));
    await shadows(PRIMARY).send(
      new UpdateThingShadowCommand({
        thingName: "DrDevice",
        payload: new TextEncoder().encode(
          JSON.stringify({ state: { desired: { led: "on", mode: { a: 1, b: 2 } }, reported: { led: "off" } } }),
        ),
      }),
    );
    await shadows(PRIMARY).send(
      new UpdateThingShadowCommand({
        thingName: "DrDevice",
        shadowName: "config",
        payload: new TextEncoder().encode(JSON.stringify({ state: { desired: { rate: 5 } } })),
      }),
    );

    const secondary = iot(SECONDARY);
    const thing = await eventually(
      () => missing(secondary.send(new DescribeThingCommand({ thingName: "DrDevice" }))),
      (found) => found !== "missing",
      WAIT_MS,
    );
    expect(thing).toMatchObject({ thingTypeName: "DrSensor", attributes: { model: "a", serial: "1" } });
    const arrivedAfterMs = Date.now() - started;
    // Each entity arrives on its own (its own stream record), in no particular order.
    const arrived = (call: () => Promise<unknown>) =>
      eventually(
        () => missing(call()),
        (found) => found !== "missing",
        WAIT_MS,
      );
    expect(await arrived(() => secondary.send(new DescribeThingTypeCommand({ thingTypeName: "DrSensor" })))).toMatchObject({
      thingTypeProperties: { thingTypeDescription: "sensors" },
    });
    expect(await arrived(() => secondary.send(new DescribeThingGroupCommand({ thingGroupName: "DrFloor" })))).toMatchObject({
      thingGroupMetadata: { parentGroupName: "DrSite" },
    });
    expect(await arrived(() => secondary.send(new DescribeThingGroupCommand({ thingGroupName: "DrSite" })))).toMatchObject({
      thingGroupProperties: { attributePayload: { attributes: { city: "Lyon" } } },
    });
    await eventually(
      async () =>
        (await secondary.send(new ListThingGroupsForThingCommand({ thingName: "DrDevice" }))).thingGroups?.map((group) => group.groupName),
      (groups) => groups?.includes("DrFloor") === true,
      WAIT_MS,
    );
    await eventually(
      () => shadowState(SECONDARY, "DrDevice"),
      (state) => isDeepStrictEqual(state, { desired: { led: "on", mode: { a: 1, b: 2 } }, reported: { led: "off" } }),
      WAIT_MS,
    );
    await eventually(
      () => shadowState(SECONDARY, "DrDevice", "config"),
      (state) => isDeepStrictEqual(state, { desired: { rate: 5 } }),
      WAIT_MS,
    );
    process.stdout.write(`dr-apply: a new thing in ${PRIMARY} was in ${SECONDARY}'s registry ${arrivedAfterMs} ms after its creation\n`);

    // Updates: an attribute removed, the type removed, a shadow key removed, a member removed.
    await primary.send(
      new UpdateThingCommand({
        thingName: "DrDevice",
        removeThingType: true,
        attributePayload: { attributes: { serial: "" }, merge: true },
      }),
    );
    await shadows(PRIMARY).send(
      new UpdateThingShadowCommand({
        thingName: "DrDevice",
        payload: new TextEncoder().encode(JSON.stringify({ state: { desired: { mode: { b: null }, led: null } } })),
      }),
    );
    await primary.send(new RemoveThingFromThingGroupCommand({ thingGroupName: "DrFloor", thingName: "DrDevice" }));
    await eventually(
      () => secondary.send(new DescribeThingCommand({ thingName: "DrDevice" })),
      (found) => found.thingTypeName === undefined && isDeepStrictEqual(found.attributes, { model: "a" }),
      WAIT_MS,
    );
    await eventually(
      () => shadowState(SECONDARY, "DrDevice"),
      (state) => isDeepStrictEqual(state, { desired: { mode: { a: 1 } }, reported: { led: "off" } }),
      WAIT_MS,
    );
    await eventually(
      async () => (await secondary.send(new ListThingGroupsForThingCommand({ thingName: "DrDevice" }))).thingGroups ?? [],
      (groups) => groups.length === 0,
      WAIT_MS,
    );
  });

  it("certificates (same id and status), policies (ARNs rewritten) and attachments arrive; deletes arrive in a safe order", async () => {
    const keys = await iot(PRIMARY).send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const certificateId = keys.certificateId as string;
    await iot(PRIMARY).send(new CreateThingCommand({ thingName: "DrCamera" }));
    const document = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iot:Publish", Resource: `arn:aws:iot:${PRIMARY}:000000000000:topic/cameras/*` }],
    });
    await sweep({ entityType: "certificate", state: { certificateId, certificatePem: keys.certificatePem as string, status: "ACTIVE" } });
    await sweep({ entityType: "policy", state: { policyName: "DrCameraPolicy", policyDocument: document, defaultVersionId: "1" } });
    await sweep({ entityType: "policyPrincipal", state: { policyName: "DrCameraPolicy", certificateId } });
    await sweep({ entityType: "thingPrincipal", state: { thingName: "DrCamera", certificateId } });

    const secondary = iot(SECONDARY);
    const certificate = await eventually(
      () => missing(secondary.send(new DescribeCertificateCommand({ certificateId }))),
      (found) => found !== "missing",
      WAIT_MS,
    );
    const certificateArn = certificate === "missing" ? "" : (certificate.certificateDescription?.certificateArn as string);
    expect(certificate).toMatchObject({ certificateDescription: { certificateId, status: "ACTIVE" } });
    expect(certificateArn).toContain(`:${SECONDARY}:`);
    const policy = await eventually(
      () => missing(secondary.send(new GetPolicyCommand({ policyName: "DrCameraPolicy" }))),
      (found) => found !== "missing",
      WAIT_MS,
    );
    expect(policy === "missing" ? "" : policy.policyDocument).toContain(`arn:aws:iot:${SECONDARY}:000000000000:topic/cameras/*`);
    await eventually(
      async () =>
        (await secondary.send(new ListAttachedPoliciesCommand({ target: certificateArn }))).policies?.map((found) => found.policyName),
      (names) => names?.includes("DrCameraPolicy") === true,
      WAIT_MS,
    );
    await eventually(
      () => missing(secondary.send(new ListThingPrincipalsCommand({ thingName: "DrCamera" }))),
      (found) => found !== "missing" && (found.principals ?? []).includes(certificateArn),
      WAIT_MS,
    );

    // A new status, then a new document: a new default version in the secondary.
    await sweep({ entityType: "certificate", state: { certificateId, certificatePem: keys.certificatePem as string, status: "INACTIVE" } });
    await eventually(
      () => secondary.send(new DescribeCertificateCommand({ certificateId })),
      (found) => found.certificateDescription?.status === "INACTIVE",
      WAIT_MS,
    );

    // The primary deletes the certificate (AWS made it detach it first): the secondary detaches,
    // deactivates and deletes it (the policy attachment's own tombstone need not come first).
    await sweep({ entityType: "thingPrincipal", state: { thingName: "DrCamera", certificateId } }, true);
    await sweep({ entityType: "certificate", state: { certificateId, certificatePem: "", status: "INACTIVE" } }, true);
    await eventually(
      () => missing(secondary.send(new DescribeCertificateCommand({ certificateId }))),
      (found) => found === "missing",
      WAIT_MS,
    );
    expect((await secondary.send(new ListThingPrincipalsCommand({ thingName: "DrCamera" }))).principals ?? []).toEqual([]);
    await sweep({ entityType: "policy", state: { policyName: "DrCameraPolicy", policyDocument: document, defaultVersionId: "1" } }, true);
    await eventually(
      () => missing(secondary.send(new GetPolicyCommand({ policyName: "DrCameraPolicy" }))),
      (found) => found === "missing",
      WAIT_MS,
    );
  });

  it("deletes of shadows, things, groups (child before parent) and types arrive", async () => {
    const primary = iot(PRIMARY);
    await shadows(PRIMARY).send(new DeleteThingShadowCommand({ thingName: "DrDevice", shadowName: "config" }));
    await shadows(PRIMARY).send(new DeleteThingShadowCommand({ thingName: "DrDevice" }));
    await primary.send(new DeleteThingCommand({ thingName: "DrDevice" }));
    await primary.send(new DeleteThingGroupCommand({ thingGroupName: "DrFloor" }));
    await primary.send(new DeleteThingGroupCommand({ thingGroupName: "DrSite" }));
    await primary.send(new DeprecateThingTypeCommand({ thingTypeName: "DrSensor" }));
    await primary.send(new DeleteThingTypeCommand({ thingTypeName: "DrSensor" }));
    const secondary = iot(SECONDARY);
    const gone = async () => ({
      thing: await missing(secondary.send(new DescribeThingCommand({ thingName: "DrDevice" }))),
      floor: await missing(secondary.send(new DescribeThingGroupCommand({ thingGroupName: "DrFloor" }))),
      site: await missing(secondary.send(new DescribeThingGroupCommand({ thingGroupName: "DrSite" }))),
      type: await missing(secondary.send(new DescribeThingTypeCommand({ thingTypeName: "DrSensor" }))),
      classic: await shadowState(SECONDARY, "DrDevice"),
      named: await shadowState(SECONDARY, "DrDevice", "config"),
    });
    await eventually(gone, (state) => Object.values(state).every((value) => value === "missing"), WAIT_MS);
  });

  const deadLetterQueueUrl = () => local.cloud().regions.get(SECONDARY)?.resources.get("ApplyDeadLetterQueue")?.physicalId as string;
  const parkedCount = async () =>
    Number(
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
      ).Attributes?.["ApproximateNumberOfMessages"] ?? "0",
    );

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
    // Nothing visible to redrive: the broken policy's message is invisible for the queue's visibility timeout since the last run received it.
    expect(redriven?.ok ? redriven.result : redriven).toEqual({ redriven: 0, kept: 0 });
  });
});
