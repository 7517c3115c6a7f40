import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteCertificateCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  IoTClient,
  UpdateCertificateCommand,
} from "@aws-sdk/client-iot";
import { UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { CreateQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { createTableFromTemplate, LOCAL_CREDENTIALS, useLocalAws, useTemplateFunction } from "local-cloud/testing";
import { createDynamoDbActiveRecords } from "../../../src/adapters/dynamodb-active-records";
import { createDynamoDbReplicaStore } from "../../../src/adapters/dynamodb-replica-store";
import { createDynamoDbSweepCheckpointStore } from "../../../src/adapters/dynamodb-sweep-checkpoint";
import { createIotRegistrySnapshotReader } from "../../../src/adapters/iot-registry-snapshot-reader";
import { sweptKinds } from "../../../src/domain/registry/sweep-plan";
import { type SweepReport, sweepRegistry } from "../../../src/domain/registry/sweep-registry";
import { sweepEnvironment } from "../../support/function-environments";
import { createReplicaTable } from "../../support/replica-table";

const REGION = "us-east-1";
const aws = useLocalAws([REGION]);
const sweepFunction = useTemplateFunction("SweepRegistryFunction");
const TABLE = "SweepReplica";
const scheduledEvent: unknown = JSON.parse(
  readFileSync(join(__dirname, "..", "..", "..", "events", "sweep-registry-scheduled.json"), "utf8"),
);
const policyDocument = (action: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

let iot: IoTClient;
let dynamodb: DynamoDBClient;
let dlqUrl: string;
let certificateId: string;
let certificateArn: string;

/** The sweep function deployed with its own checkpoint table, invoked like the schedule invokes it. */
const sweeper = async (checkpointTable: string) => {
  await createTableFromTemplate(dynamodb, "SweepCheckpointTable", checkpointTable);
  await createTableFromTemplate(dynamodb, "ApiScheduleTable", `${checkpointTable}-schedules`);
  const fn = sweepFunction.deploy(
    REGION,
    aws.local().url,
    sweepEnvironment(TABLE, checkpointTable, dlqUrl, `${checkpointTable}-schedules`),
  );
  return async (): Promise<SweepReport> => {
    const outcome = await fn.invoke(scheduledEvent);
    if (!outcome.ok) throw new Error(`${outcome.error.name}: ${outcome.error.message}`);
    return outcome.result as SweepReport;
  };
};

const item = async (entityKey: string) =>
  (await dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { EntityKey: { S: entityKey }, AWSRegion: { S: REGION } } }))).Item;

beforeAll(async () => {
  iot = new IoTClient({ region: REGION, endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS });
  dynamodb = aws.dynamodb(REGION);
  await createReplicaTable(dynamodb, TABLE);
  dlqUrl = (await aws.sqs().send(new CreateQueueCommand({ QueueName: "sweep-capture-dlq" }))).QueueUrl ?? "";
  await iot.send(new CreateThingCommand({ thingName: "sensor-1" }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: "Sensors" }));
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  certificateId = created.certificateId ?? "";
  certificateArn = created.certificateArn ?? "";
  await iot.send(new CreatePolicyCommand({ policyName: "SensorPolicy", policyDocument: policyDocument("iot:Connect") }));
  await iot.send(
    new CreatePolicyVersionCommand({ policyName: "SensorPolicy", policyDocument: policyDocument("iot:*"), setAsDefault: true }),
  );
  await iot.send(new AttachPolicyCommand({ policyName: "SensorPolicy", target: certificateArn }));
  // A thing group target: a policy attachment the replica has no kind for (not a certificate).
  await iot.send(new AttachPolicyCommand({ policyName: "SensorPolicy", target: `arn:aws:iot:${REGION}:000000000000:thinggroup/Sensors` }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: "sensor-1", principal: certificateArn }));
  const iotData = aws.iotData(REGION);
  const desired = new TextEncoder().encode(JSON.stringify({ state: { desired: { rate: 5 } } }));
  await iotData.send(new UpdateThingShadowCommand({ thingName: "sensor-1", payload: desired }));
  await iotData.send(new UpdateThingShadowCommand({ thingName: "sensor-1", shadowName: "config", payload: desired }));
});
afterAll(() => iot.destroy());

describe("sweep-registry handler (events/sweep-registry-scheduled.json, local IoT registry)", () => {
  it("lists certificates, policies, their attachments and shadows into the replica, then tombstones what was detached or deleted", async () => {
    const sweep = await sweeper("SweepCheckpointFull");
    const first = await sweep();
    expect(first).toMatchObject({ complete: true, resumed: false, rejected: [], tombstones: { stored: 0 } });

    expect(await item(`certificate#${certificateId}`)).toMatchObject({
      Status: { S: "ACTIVE" },
      CertificateId: { S: certificateId },
      CertificateStatus: { S: "ACTIVE" },
      CertificatePem: { S: expect.stringContaining("-----BEGIN CERTIFICATE-----") },
    });
    const policy = await item("policy#SensorPolicy");
    expect(policy).toMatchObject({ Status: { S: "ACTIVE" }, DefaultVersionId: { S: "2" } });
    expect(JSON.parse(String(policy?.["PolicyDocument"]?.S)).Statement[0].Action).toBe("iot:*");
    expect(await item(`policyPrincipal#SensorPolicy#${certificateId}`)).toMatchObject({ PrincipalCertificateId: { S: certificateId } });
    expect(await item(`thingPrincipal#sensor-1#${certificateId}`)).toMatchObject({ PrincipalThingName: { S: "sensor-1" } });
    expect(await item("shadow#sensor-1")).toMatchObject({ Desired: { M: { rate: { N: "5" } } } });
    expect(await item("shadow#sensor-1#config")).toMatchObject({ ShadowName: { S: "config" } });

    await iot.send(new DetachPolicyCommand({ policyName: "SensorPolicy", target: certificateArn }));
    await iot.send(new DetachThingPrincipalCommand({ thingName: "sensor-1", principal: certificateArn }));
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: "INACTIVE" }));
    await iot.send(new DeleteCertificateCommand({ certificateId }));
    await iot.send(
      new DetachPolicyCommand({ policyName: "SensorPolicy", target: `arn:aws:iot:${REGION}:000000000000:thinggroup/Sensors` }),
    );
    await iot.send(new DeletePolicyVersionCommand({ policyName: "SensorPolicy", policyVersionId: "1" }));
    await iot.send(new DeletePolicyCommand({ policyName: "SensorPolicy" }));

    const second = await sweep();
    expect(second).toMatchObject({ complete: true, resumed: false, rejected: [], tombstones: { stored: 4 } });
    for (const key of [
      `certificate#${certificateId}`,
      "policy#SensorPolicy",
      `policyPrincipal#SensorPolicy#${certificateId}`,
      `thingPrincipal#sensor-1#${certificateId}`,
    ]) {
      expect({ key, status: (await item(key))?.["Status"] }).toEqual({ key, status: { S: "DELETED" } });
    }
    expect((await item("thing#sensor-1"))?.["Status"]).toEqual({ S: "ACTIVE" });
    expect((await item("shadow#sensor-1"))?.["Status"]).toEqual({ S: "ACTIVE" });
  });

  it("resumes a pass from the checkpoint an earlier invocation left in the middle of the listing", async () => {
    const checkpointTable = "SweepCheckpointResume";
    const sweep = await sweeper(checkpointTable);
    const checkpoints = createDynamoDbSweepCheckpointStore(dynamodb, checkpointTable, REGION);
    const stopped = await sweepRegistry({
      reader: createIotRegistrySnapshotReader(iot, 1),
      store: createDynamoDbReplicaStore(dynamodb, TABLE),
      records: createDynamoDbActiveRecords(dynamodb, TABLE),
      checkpoints,
      context: { sourceRegion: REGION, now: 7_000, tombstoneTtlSeconds: 86_400 },
      kinds: sweptKinds(true),
      hasTimeLeft: () => false,
      holder: "an earlier run",
      leaseUntil: 8_000,
    });
    expect(stopped._unsafeUnwrap()).toMatchObject({ complete: false, pages: 1 });
    const saved = (await checkpoints.load())._unsafeUnwrap();
    expect(saved).toMatchObject({ passStartedAt: 7_000, listed: false, resumeToken: expect.any(String) });

    const resumed = await sweep();
    expect(resumed).toMatchObject({ complete: true, resumed: true, passStartedAt: 7_000 });
    expect((await checkpoints.load())._unsafeUnwrap()).toBeUndefined();
  });

  it("does nothing while another run holds the region's sweep lease, and runs once it is given back", async () => {
    const checkpointTable = "SweepCheckpointLease";
    const sweep = await sweeper(checkpointTable);
    const checkpoints = createDynamoDbSweepCheckpointStore(dynamodb, checkpointTable, REGION);
    expect((await checkpoints.claim("a long run", Date.now(), Date.now() + 600_000))._unsafeUnwrap()).toBe(true);
    expect(await sweep()).toEqual({ ran: false });
    expect((await checkpoints.load())._unsafeUnwrap()).toBeUndefined();
    await checkpoints.release("a long run");
    expect(await sweep()).toMatchObject({ ran: true, complete: true });
  });

  it("reports an item it cannot store to the capture DLQ with the reason, and finishes the pass", async () => {
    const huge = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iot:Publish", Resource: `arn:aws:iot:${REGION}:000000000000:topic/${"t".repeat(360_000)}` }],
    });
    await iot.send(new CreatePolicyCommand({ policyName: "HugePolicy", policyDocument: huge }));
    await iot.send(new CreatePolicyCommand({ policyName: "SmallPolicy", policyDocument: policyDocument("iot:Connect") }));
    const sweep = await sweeper("SweepCheckpointInvalid");
    const report = await sweep();
    expect(report).toMatchObject({ complete: true, rejected: [expect.stringMatching(/^policy#HugePolicy: InvalidEvent: .*over the/)] });
    expect((await item("policy#SmallPolicy"))?.["Status"]).toEqual({ S: "ACTIVE" });
    const received = await aws
      .sqs()
      .send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ["All"], MaxNumberOfMessages: 10 }));
    const reasons = (received.Messages ?? []).map((message) => message.MessageAttributes?.["failureReason"]?.StringValue);
    expect(reasons).toEqual([expect.stringMatching(/^policy#HugePolicy: /)]);
  });
});
