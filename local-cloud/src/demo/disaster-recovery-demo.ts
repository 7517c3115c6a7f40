import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DescribeCertificateCommand,
  GetPolicyCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListThingGroupsForThingCommand,
  ListThingPrincipalsCommand,
} from "@aws-sdk/client-iot";
import { GetThingShadowCommand, IoTDataPlaneClient, UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import mqtt from "mqtt";
import { credentialsFor } from "../endpoint/partition-credentials";
import type { LocalCloud } from "../local-cloud";

/** samconfig.toml's PrimaryRegion, and the secondary this demo watches. */
const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";
const THING = "DrDemoBulb";
const GROUP = "DrDemoKitchen";
const POLICY = "DrDemoBulbPolicy";
const TOPIC = `dr-demo/${THING}`;

/** The device may connect as itself and use its own topic; the ARNs name the primary, as a real fleet's do (the applier rewrites them). */
const policyDocument = (certificateArn: string): string => {
  const [, partition, , , account] = certificateArn.split(":");
  const arn = (resource: string) => `arn:${partition}:iot:${PRIMARY}:${account}:${resource}`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "iot:Connect", Resource: arn(`client/${THING}`) },
      { Effect: "Allow", Action: ["iot:Publish", "iot:Receive"], Resource: arn(`topic/${TOPIC}`) },
      { Effect: "Allow", Action: "iot:Subscribe", Resource: arn(`topicfilter/${TOPIC}`) },
    ],
  });
};

/** Polls `check` (false or a thrown "not found" mean not yet) until it holds; resolves with the ms since `since`. */
const arrival = async (check: () => Promise<boolean>, since: number, timeoutMs = 60_000): Promise<number> => {
  while (Date.now() - since < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not seen in ${SECONDARY} within ${timeoutMs} ms`);
};

/** Creates the device in the primary: group, typed thing in it, keys and certificate, policy, attachments, shadow. */
const provision = async (iot: IoTClient, data: IoTDataPlaneClient) => {
  await iot.send(new CreateThingGroupCommand({ thingGroupName: GROUP }));
  await iot.send(new CreateThingCommand({ thingName: THING, attributePayload: { attributes: { room: "kitchen" } } }));
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: GROUP, thingName: THING }));
  const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const { certificateId, certificateArn, certificatePem } = keys;
  const privateKeyPem = keys.keyPair?.PrivateKey;
  if (!certificateId || !certificateArn || !certificatePem || !privateKeyPem)
    throw new Error("CreateKeysAndCertificate gave no certificate");
  await iot.send(new CreatePolicyCommand({ policyName: POLICY, policyDocument: policyDocument(certificateArn) }));
  await iot.send(new AttachPolicyCommand({ policyName: POLICY, target: certificateArn }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: THING, principal: certificateArn }));
  const shadow = { state: { reported: { on: true } } };
  await data.send(new UpdateThingShadowCommand({ thingName: THING, payload: new TextEncoder().encode(JSON.stringify(shadow)) }));
  return { certificateId, certificatePem, privateKeyPem };
};

/** Runs the primary's registry sweep now (the schedule's bound is SweepIntervalMinutes) until one run completes a pass. */
const sweepPrimary = async (cloud: LocalCloud): Promise<void> => {
  const sweep = cloud.regions.get(PRIMARY)?.functions.get("SweepRegistryFunction");
  if (!sweep) throw new Error(`${PRIMARY} runs no SweepRegistryFunction`);
  for (let attempt = 0; attempt < 20; attempt++) {
    const outcome = await sweep.invoke({});
    if (!outcome.ok) throw new Error(`the sweep failed: ${outcome.error.message}`);
    const run = outcome.result as { ran?: boolean; complete?: boolean } | undefined;
    if (run?.ran && run.complete) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the sweep completed no pass in 20 runs");
};

/** Connects as the device to the secondary's mqtts port with its own certificate, and gets its own message back. */
const connectThere = async (cloud: LocalCloud, device: { certificatePem: string; privateKeyPem: string }): Promise<number> => {
  const started = Date.now();
  const client = await mqtt.connectAsync(`mqtts://localhost:${cloud.aws.hub.tlsPortFor(SECONDARY)}`, {
    clientId: THING,
    reconnectPeriod: 0,
    cert: device.certificatePem,
    key: device.privateKeyPem,
    ca: cloud.aws.iotCaCertificatePem,
  });
  try {
    const back = new Promise<void>((resolve) => client.on("message", () => resolve()));
    await client.subscribeAsync(TOPIC, { qos: 1 });
    await client.publishAsync(TOPIC, "hello from the secondary", { qos: 1 });
    await back;
    return Date.now() - started;
  } finally {
    await client.endAsync();
  }
};

/**
 * The disaster-recovery demo of `npm start`: one device created in the primary (registry events are on,
 * from the registry-capture demo) appears in the secondary part by part (thing and group by events,
 * certificate, policy and attachments by the primary's sweep, run here at once; shadow by its
 * documents topic), each applied there by the applier; then the device connects to the secondary's
 * broker over mutual TLS with its own certificate and gets its own message back.
 */
export const runDisasterRecoveryDemo = async (cloud: LocalCloud, print: (line: string) => void): Promise<void> => {
  if (!cloud.regions.has(PRIMARY) || !cloud.regions.has(SECONDARY)) return;
  print(`demo: disaster recovery (${PRIMARY} primary -> ${SECONDARY} secondary)`);
  const clientConfig = (region: string) => ({ region, endpoint: cloud.aws.url, credentials: credentialsFor(region) });
  const data = (region: string) => new IoTDataPlaneClient(clientConfig(region));
  const primaryData = data(PRIMARY);
  const secondaryData = data(SECONDARY);
  try {
    const device = await provision(cloud.clients(PRIMARY).iot, primaryData);
    const changedAt = Date.now();
    print(
      `  ${PRIMARY}: created thing ${THING} in group ${GROUP}, certificate ${device.certificateId.slice(0, 12)}..., policy ${POLICY}, shadow`,
    );
    // The sweep runs while the secondary is watched: thing, group and shadow do not wait for it.
    const swept = sweepPrimary(cloud).then(() =>
      print(
        `  ${PRIMARY}: registry sweep run (certificates, policies and attachments have no events), done ${Date.now() - changedAt} ms after`,
      ),
    );
    const iot = cloud.clients(SECONDARY).iot;
    const seen: [string, () => Promise<boolean>][] = [
      [
        `thing ${THING} in group ${GROUP}`,
        async () =>
          ((await iot.send(new ListThingGroupsForThingCommand({ thingName: THING }))).thingGroups ?? []).some((g) => g.groupName === GROUP),
      ],
      [
        "certificate (same id, ACTIVE)",
        async () =>
          (await iot.send(new DescribeCertificateCommand({ certificateId: device.certificateId }))).certificateDescription?.status ===
          "ACTIVE",
      ],
      [`policy ${POLICY}`, async () => Boolean((await iot.send(new GetPolicyCommand({ policyName: POLICY }))).policyDocument)],
      [
        "certificate attached to the thing, policy to the certificate",
        async () => {
          const principals = (await iot.send(new ListThingPrincipalsCommand({ thingName: THING }))).principals ?? [];
          const certificate = principals.find((arn) => arn.endsWith(`/${device.certificateId}`));
          if (!certificate) return false;
          const attached = (await iot.send(new ListAttachedPoliciesCommand({ target: certificate }))).policies ?? [];
          return attached.some((policy) => policy.policyName === POLICY);
        },
      ],
      [
        "shadow reported {on: true}",
        async () => {
          const shadow = await secondaryData.send(new GetThingShadowCommand({ thingName: THING }));
          return JSON.parse(new TextDecoder().decode(shadow.payload)).state?.reported?.on === true;
        },
      ],
    ];
    await Promise.all([
      swept,
      ...seen.map(async ([what, check]) => print(`  ${SECONDARY}: ${what} (${await arrival(check, changedAt)} ms after the change)`)),
    ]);
    print(
      `  ${SECONDARY}: ${THING} connected over mutual TLS with its own certificate, message back in ${await connectThere(cloud, device)} ms`,
    );
  } finally {
    primaryData.destroy();
    secondaryData.destroy();
  }
};
