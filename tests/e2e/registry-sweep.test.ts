import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  UpdateCertificateCommand,
} from "@aws-sdk/client-iot";
import { replicaTableName } from "local-cloud";
import { eventually, useLocalCloud } from "local-cloud/testing";

// Every minute (the shortest EventBridge rate), so the test sees the schedule fire; the local cloud runs
// the schedule 12 times as fast (every 5 s), so that seeing it fire takes seconds, not up to a minute.
const local = useLocalCloud({ parameterOverrides: { SweepIntervalMinutes: "1" }, scheduleSpeedup: 12 });
const PRIMARY = "us-east-1";
const policyDocument = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iot:Connect", Resource: "*" }] });

const status = async (readRegion: string, entityKey: string): Promise<string | undefined> =>
  (
    await local
      .cloud()
      .clients(readRegion)
      .dynamodb.send(
        new GetItemCommand({ TableName: replicaTableName(local.cloud()), Key: { EntityKey: { S: entityKey }, AWSRegion: { S: PRIMARY } } }),
      )
  ).Item?.["Status"]?.S;

const statuses = (readRegion: string, keys: readonly string[]) => Promise.all(keys.map((key) => status(readRegion, key)));

describe("registry sweep on the local cloud (template.yaml deployed, SweepIntervalMinutes=1)", () => {
  it("certificates, policies and attachments reach every replica region by the scheduled sweep, and so do their deletes", async () => {
    const iot = local.cloud().clients(PRIMARY).iot;
    const certificate = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const certificateId = certificate.certificateId ?? "";
    const certificateArn = certificate.certificateArn ?? "";
    await iot.send(new CreateThingCommand({ thingName: "SweptDevice" }));
    await iot.send(new CreatePolicyCommand({ policyName: "SweptPolicy", policyDocument }));
    await iot.send(new AttachPolicyCommand({ policyName: "SweptPolicy", target: certificateArn }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: "SweptDevice", principal: certificateArn }));
    const keys = [
      `certificate#${certificateId}`,
      "policy#SweptPolicy",
      `policyPrincipal#SweptPolicy#${certificateId}`,
      `thingPrincipal#SweptDevice#${certificateId}`,
    ];

    for (const region of ["us-east-1", "us-west-2"]) {
      await eventually(
        () => statuses(region, keys),
        (found) => found.every((s) => s === "ACTIVE"),
        150_000,
      );
    }

    await iot.send(new DetachPolicyCommand({ policyName: "SweptPolicy", target: certificateArn }));
    await iot.send(new DetachThingPrincipalCommand({ thingName: "SweptDevice", principal: certificateArn }));
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: "INACTIVE" }));
    await iot.send(new DeleteCertificateCommand({ certificateId }));
    // The deployed function, invoked as the schedule does, rather than a wait for the next minute.
    const sweep = local.cloud().regions.get(PRIMARY)?.functions.get("SweepRegistryFunction");
    const outcome = await sweep?.invoke({ "detail-type": "Scheduled Event", source: "aws.events", resources: [], detail: {} });
    expect(outcome?.ok).toBe(true);
    const detached = [keys[0], keys[2], keys[3]] as string[];
    const found = await eventually(
      () => statuses("us-west-2", [...detached, "policy#SweptPolicy"]),
      (now) => now.slice(0, 3).every((s) => s === "DELETED"),
      150_000,
    );
    expect(found).toEqual(["DELETED", "DELETED", "DELETED", "ACTIVE"]);
  }, 400_000);
});
