import { isDeepStrictEqual } from "node:util";
import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteCertificateCommand,
  DeletePolicyCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  GetPolicyCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListThingGroupsForThingCommand,
  ListThingPrincipalsCommand,
  RemoveThingFromThingGroupCommand,
  UpdateCertificateCommand,
} from "@aws-sdk/client-iot";
import {
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  type IoTDataPlaneClient,
  UpdateThingShadowCommand,
} from "@aws-sdk/client-iot-data-plane";
import { awsErrorName } from "../adapters/aws-error-classification";

/** The thing type every drill shares (kept: AWS deletes a type only 5 minutes after deprecating it). */
export const DRILL_THING_TYPE = "iot-fleet-replicator-drill";
export const NAMED_SHADOW = "drill";

/** One drill device as provisioned in the primary: what the secondary must show, and the credentials it connects with. */
export interface DrillDevice {
  readonly thingName: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly certificateId: string;
  readonly certificateArn: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly reported: Readonly<Record<string, unknown>>;
  /** When its last primary call returned (epoch ms): the lags are measured from here. */
  readonly provisionedAt: number;
}

/** The run's shared parts: its group and its policy (named for the run, so runs never collide). */
export interface DrillRun {
  readonly runId: string;
  readonly groupName: string;
  readonly policyName: string;
  readonly topicPrefix: string;
}

export const drillRun = (runId: string): DrillRun => ({
  runId,
  groupName: `drill-${runId}`,
  policyName: `drill-${runId}`,
  topicPrefix: `drill/${runId}`,
});

const ignoring = async (names: readonly string[], call: () => Promise<unknown>): Promise<void> => {
  try {
    await call();
  } catch (error) {
    if (!names.includes(awsErrorName(error))) throw error;
  }
};

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const decode = (payload: Uint8Array | undefined): Record<string, unknown> =>
  payload && payload.length > 0 ? (JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>) : {};

/**
 * A device may connect only as its own thing and use only its own topic under the run's prefix. The
 * ARNs name the primary's region and account, as a real fleet's policies do: the secondary gets them
 * rewritten to its own region by the applier, which is part of what the drill proves.
 */
const policyDocument = (certificateArn: string, run: DrillRun): string => {
  const [, partition, , region, account] = certificateArn.split(":");
  const arn = (resource: string) => `arn:${partition}:iot:${region}:${account}:${resource}`;
  const thing = "${iot:Connection.Thing.ThingName}";
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "iot:Connect", Resource: arn(`client/${thing}`) },
      { Effect: "Allow", Action: ["iot:Publish", "iot:Receive"], Resource: arn(`topic/${run.topicPrefix}/${thing}`) },
      { Effect: "Allow", Action: "iot:Subscribe", Resource: arn(`topicfilter/${run.topicPrefix}/${thing}`) },
    ],
  });
};

/** Creates the run's shared type (if missing) and group in the primary. */
export const provisionRun = async (iot: IoTClient, run: DrillRun): Promise<void> => {
  await ignoring(["ResourceAlreadyExistsException"], () =>
    iot.send(
      new CreateThingTypeCommand({
        thingTypeName: DRILL_THING_TYPE,
        thingTypeProperties: { thingTypeDescription: "DR drill devices", searchableAttributes: ["run"] },
      }),
    ),
  );
  await iot.send(
    new CreateThingGroupCommand({
      thingGroupName: run.groupName,
      thingGroupProperties: { thingGroupDescription: `DR drill ${run.runId}` },
    }),
  );
};

/** One device in the primary: thing (type, attributes), group membership, keys and certificate, the run's policy on it, both shadows. */
export const provisionDevice = async (
  iot: IoTClient,
  iotData: IoTDataPlaneClient,
  run: DrillRun,
  index: number,
  ensurePolicy: (certificateArn: string) => Promise<void>,
): Promise<DrillDevice> => {
  const thingName = `drill-${run.runId}-${index}`;
  const attributes = { run: run.runId, index: String(index) };
  await iot.send(new CreateThingCommand({ thingName, thingTypeName: DRILL_THING_TYPE, attributePayload: { attributes } }));
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: run.groupName, thingName }));
  const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const { certificateId, certificateArn, certificatePem } = keys;
  const privateKeyPem = keys.keyPair?.PrivateKey;
  if (!certificateId || !certificateArn || !certificatePem || !privateKeyPem)
    throw new Error("CreateKeysAndCertificate answered without a certificate or key");
  await ensurePolicy(certificateArn);
  await iot.send(new AttachPolicyCommand({ policyName: run.policyName, target: certificateArn }));
  await iot.send(new AttachThingPrincipalCommand({ thingName, principal: certificateArn }));
  const reported = { firmware: "1.0.0", index };
  await iotData.send(new UpdateThingShadowCommand({ thingName, payload: json({ state: { reported } }) }));
  await iotData.send(new UpdateThingShadowCommand({ thingName, shadowName: NAMED_SHADOW, payload: json({ state: { reported } }) }));
  return { thingName, attributes, certificateId, certificateArn, certificatePem, privateKeyPem, reported, provisionedAt: Date.now() };
};

/** The run's policy, created once with the first certificate's ARN (which names the partition, region and account). */
export const policyCreator = (iot: IoTClient, run: DrillRun) => {
  let created: Promise<void> | undefined;
  return (certificateArn: string): Promise<void> => {
    created ??= iot
      .send(new CreatePolicyCommand({ policyName: run.policyName, policyDocument: policyDocument(certificateArn, run) }))
      .then(() => undefined);
    return created;
  };
};

/** What differs between the secondary and the device as provisioned, for one stage; undefined when it matches. */
export type StageCheck = (iot: IoTClient, iotData: IoTDataPlaneClient, run: DrillRun, device: DrillDevice) => Promise<string | undefined>;

/** The call's answer, or undefined when AWS says the resource does not exist. */
const existing = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await call();
  } catch (error) {
    if (awsErrorName(error) === "ResourceNotFoundException") return undefined;
    throw error;
  }
};

const isGone = async (call: () => Promise<unknown>): Promise<boolean> => (await existing(call)) === undefined;

export const registryArrived: StageCheck = async (iot, _data, run, device) => {
  const thing = await existing(() => iot.send(new DescribeThingCommand({ thingName: device.thingName })));
  if (!thing) return "no thing";
  if (thing.thingTypeName !== DRILL_THING_TYPE) return `thing type ${thing.thingTypeName ?? "none"}`;
  // Compared as values: the secondary's registry need not list attributes in the order they were given.
  if (!isDeepStrictEqual(thing.attributes ?? {}, device.attributes)) return `attributes ${JSON.stringify(thing.attributes)}`;
  const groups = await iot.send(new ListThingGroupsForThingCommand({ thingName: device.thingName }));
  return (groups.thingGroups ?? []).some((group) => group.groupName === run.groupName) ? undefined : `not in group ${run.groupName}`;
};

export const certificateArrived: StageCheck = async (iot, _data, run, device) => {
  const certificate = await existing(() => iot.send(new DescribeCertificateCommand({ certificateId: device.certificateId })));
  if (!certificate) return "no certificate";
  if (certificate.certificateDescription?.status !== "ACTIVE") return `certificate ${certificate.certificateDescription?.status}`;
  if (!(await existing(() => iot.send(new GetPolicyCommand({ policyName: run.policyName }))))) return `no policy ${run.policyName}`;
  const principals = await iot.send(new ListThingPrincipalsCommand({ thingName: device.thingName }));
  const certificateArn = (principals.principals ?? []).find((arn) => arn.endsWith(`:cert/${device.certificateId}`));
  if (!certificateArn) return "certificate not attached to the thing";
  const attached = await iot.send(new ListAttachedPoliciesCommand({ target: certificateArn }));
  return (attached.policies ?? []).some((policy) => policy.policyName === run.policyName)
    ? undefined
    : `policy ${run.policyName} not attached to the certificate`;
};

export const shadowsArrived: StageCheck = async (_iot, data, _run, device) => {
  for (const shadowName of [undefined, NAMED_SHADOW]) {
    const label = shadowName ? `named shadow ${shadowName}` : "classic shadow";
    try {
      const shadow = await data.send(new GetThingShadowCommand({ thingName: device.thingName, ...(shadowName ? { shadowName } : {}) }));
      const reported = (decode(shadow.payload)["state"] as { reported?: unknown } | undefined)?.reported;
      if (!isDeepStrictEqual(reported, device.reported)) return `${label} reported ${JSON.stringify(reported)}`;
    } catch (error) {
      if (awsErrorName(error) === "ResourceNotFoundException") return `no ${label}`;
      throw error;
    }
  }
  return undefined;
};

export const deletesArrived: StageCheck = async (iot, data, _run, device) => {
  if (!(await isGone(() => iot.send(new DescribeThingCommand({ thingName: device.thingName }))))) return "thing still there";
  if (!(await isGone(() => iot.send(new DescribeCertificateCommand({ certificateId: device.certificateId })))))
    return "certificate still there";
  for (const shadowName of [undefined, NAMED_SHADOW])
    if (!(await isGone(() => data.send(new GetThingShadowCommand({ thingName: device.thingName, ...(shadowName ? { shadowName } : {}) })))))
      return `${shadowName ? "named" : "classic"} shadow still there`;
  return undefined;
};

/** Deletes one device from the primary in AWS IoT's order: shadows, detach, deactivate, delete certificate, leave group, delete thing. */
export const deleteDevice = async (iot: IoTClient, iotData: IoTDataPlaneClient, run: DrillRun, device: DrillDevice): Promise<number> => {
  const gone = ["ResourceNotFoundException"];
  for (const shadowName of [undefined, NAMED_SHADOW])
    await ignoring(gone, () =>
      iotData.send(new DeleteThingShadowCommand({ thingName: device.thingName, ...(shadowName ? { shadowName } : {}) })),
    );
  await ignoring(gone, () => iot.send(new DetachPolicyCommand({ policyName: run.policyName, target: device.certificateArn })));
  await ignoring(gone, () => iot.send(new DetachThingPrincipalCommand({ thingName: device.thingName, principal: device.certificateArn })));
  await ignoring(gone, () => iot.send(new UpdateCertificateCommand({ certificateId: device.certificateId, newStatus: "INACTIVE" })));
  await ignoring(gone, () => iot.send(new DeleteCertificateCommand({ certificateId: device.certificateId })));
  await ignoring(gone, () =>
    iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: run.groupName, thingName: device.thingName })),
  );
  await ignoring(gone, () => iot.send(new DeleteThingCommand({ thingName: device.thingName })));
  return Date.now();
};

/** Deletes the run's group and policy from the primary once its devices are gone. */
export const deleteRun = async (iot: IoTClient, run: DrillRun): Promise<void> => {
  await ignoring(["ResourceNotFoundException"], () => iot.send(new DeletePolicyCommand({ policyName: run.policyName })));
  await ignoring(["ResourceNotFoundException"], () => iot.send(new DeleteThingGroupCommand({ thingGroupName: run.groupName })));
};

/** Whether the run's group and policy are gone from a region (the secondary, after the deletes arrived). */
export const runLeftovers = async (iot: IoTClient, run: DrillRun): Promise<string[]> => {
  const left: string[] = [];
  if (!(await isGone(() => iot.send(new GetPolicyCommand({ policyName: run.policyName }))))) left.push(`policy ${run.policyName}`);
  if (!(await isGone(() => iot.send(new DescribeThingGroupCommand({ thingGroupName: run.groupName })))))
    left.push(`thing group ${run.groupName}`);
  return left;
};
