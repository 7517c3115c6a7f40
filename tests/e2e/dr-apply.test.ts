import { isDeepStrictEqual } from "node:util";
import {
  AddThingToThingGroupCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteCertificateCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  DescribeThingTypeCommand,
  GetPolicyCommand,
  ListAttachedPoliciesCommand,
  ListThingGroupsForThingCommand,
  ListThingPrincipalsCommand,
  RemoveThingFromThingGroupCommand,
  UpdateCertificateCommand,
  UpdateThingCommand,
} from "@aws-sdk/client-iot";
import { DeleteThingShadowCommand, UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { eventually, useLocalCloud } from "local-cloud/testing";
import { runOperatorCommand } from "../support/operator-command";
import { disasterRecovery, missing, PRIMARY, SECONDARY, WAIT_MS } from "./support/disaster-recovery";

/**
 * Disaster recovery on the local cloud, through the deployed applier: samconfig.toml makes us-east-1
 * the primary; what changes there (registry events and shadows, captured into the global table; and
 * certificates, policies and attachments, written here as the sweep would write them) arrives in
 * us-west-2's registry and shadows, deletes included, in a safe order. Failures, throttling and the
 * redrive: dr-apply-failures.test.ts.
 */
// A change the applier cannot apply yet (a parent group's delete that arrives before its child's, which
// happens under load) is parked for the redrive, as designed; the redrive runs every 5 s here (rate(1 minute),
// 12 times as fast) instead of every 5 minutes, so the test's wait covers it. The sweep stays out of the
// way (every 1,440 minutes, so every 2 hours here): the test writes the sweep's records itself.
const local = useLocalCloud({
  parameterOverrides: { RedriveSchedule: "rate(1 minute)", SweepIntervalMinutes: "1440" },
  scheduleSpeedup: 12,
});
const { iot, shadows, shadowState, sweep, enableRegistryEvents } = disasterRecovery(local.cloud);

beforeAll(enableRegistryEvents);

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
    await iot(PRIMARY).send(new UpdateCertificateCommand({ certificateId, newStatus: "INACTIVE" }));
    await sweep({ entityType: "certificate", state: { certificateId, certificatePem: keys.certificatePem as string, status: "INACTIVE" } });
    await eventually(
      () => secondary.send(new DescribeCertificateCommand({ certificateId })),
      (found) => found.certificateDescription?.status === "INACTIVE",
      WAIT_MS,
    );

    // The primary deletes the certificate (AWS made it detach it first): the secondary detaches,
    // deactivates and deletes it (the policy attachment's own tombstone need not come first).
    await iot(PRIMARY).send(new DeleteCertificateCommand({ certificateId }));
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

  it("after all of it, npm run verify --live finds the two registries and their shadows in sync", async () => {
    const verify = () =>
      runOperatorCommand("verify", ["--primary", PRIMARY, "--secondary", SECONDARY, "--live", "--endpoint-url", local.cloud().aws.url]);
    const outcome = await eventually(verify, (result) => result.code === 0, WAIT_MS);
    expect(outcome.stdout.trim().split("\n").at(-1)).toMatch(
      new RegExp(`^IN SYNC: \\d+ entities match between ${PRIMARY} and ${SECONDARY}$`),
    );
  });
});
