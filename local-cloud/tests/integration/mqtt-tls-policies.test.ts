import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DetachPolicyCommand,
  RegisterCertificateWithoutCACommand,
  UpdateCertificateCommand,
} from "@aws-sdk/client-iot";
import type { MqttClient } from "mqtt";
import { createSelfSignedCertificate } from "../../src/iot/x509-certificates";
import { eventually, useLocalAws } from "../../testing";
import { messageApiClientPolicyDocument } from "../support/message-api-client-policy";
import { type ConnectOutcome, connectDevice, type DeviceCredentials } from "../support/mqtt-device";

const REGION = "us-east-1";
const SECONDARY = "eu-west-1";
const local = useLocalAws([REGION, SECONDARY]);
const open: MqttClient[] = [];

const tlsPort = (region = REGION): number => {
  const port = local.local().hub.tlsPortFor(region);
  if (port === undefined) throw new Error(`no TLS port for ${region}`);
  return port;
};

/** Requests the in-process "API" answers: `request/query/{uuid}` gets `{uuid}` on `response/query/{token}`. */
const requests: string[] = [];

interface Device {
  readonly thingName: string;
  readonly certificateId: string;
  readonly credentials: DeviceCredentials;
}

/** A device as the product's README provisions one: keys and an ACTIVE certificate, MessageApiClientPolicy, a thing with the certificate. */
const provisionDevice = async (thingName: string, region = REGION): Promise<Device> => {
  const iot = local.iot(region);
  const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await iot.send(new AttachPolicyCommand({ policyName: "MessageApiClientPolicy", target: keys.certificateArn }));
  await iot.send(new CreateThingCommand({ thingName }));
  await iot.send(new AttachThingPrincipalCommand({ thingName, principal: keys.certificateArn }));
  return {
    thingName,
    certificateId: keys.certificateId as string,
    credentials: {
      certificatePem: keys.certificatePem as string,
      privateKeyPem: keys.keyPair?.PrivateKey as string,
      caPem: local.local().iotCaCertificatePem,
    },
  };
};

const connected = (outcome: ConnectOutcome): MqttClient => {
  if (!outcome.connected) throw new Error(`expected the device to connect, but: ${outcome.reason}`);
  open.push(outcome.client);
  return outcome.client;
};

/** Publishes a query for `uuid` and resolves with the answer on the device's own response topic. */
const query = async (client: MqttClient, clientId: string, uuid: string): Promise<Record<string, unknown>> => {
  const token = `${clientId}-${requests.length + 1}`;
  const responseTopic = `response/query/${token}`;
  await client.subscribeAsync(responseTopic, { qos: 1 });
  const answer = new Promise<Record<string, unknown>>((resolve) => {
    client.on("message", (topic, payload) => {
      if (topic === responseTopic) resolve(JSON.parse(payload.toString()) as Record<string, unknown>);
    });
  });
  await client.publishAsync(`request/query/${uuid}`, JSON.stringify({ token }), { qos: 1 });
  return answer;
};

beforeAll(async () => {
  for (const region of [REGION, SECONDARY]) {
    await local
      .iot(region)
      .send(new CreatePolicyCommand({ policyName: "MessageApiClientPolicy", policyDocument: messageApiClientPolicyDocument(region) }));
  }
  const hub = local.local().hub;
  hub.subscribe(REGION, "request/query/+", async (topic, payload) => {
    requests.push(topic);
    const { token } = JSON.parse(payload.toString()) as { token: string };
    await hub.publish(REGION, `response/query/${token}`, JSON.stringify({ uuid: topic.split("/")[2] }), 1);
  });
});

afterAll(async () => {
  await Promise.all(open.map((client) => client.endAsync(true)));
});

describe("the brokers' mutual-TLS ports enforce certificates and IoT policies (template.yaml's MessageApiClientPolicy)", () => {
  it("announces a TLS port per region beside the plain one, and serves the CA that issued the brokers' certificate", async () => {
    const health = (await (await fetch(`${local.local().url}/_local/health`)).json()) as {
      regions: { region: string; mqttPort: number; mqttsPort: number }[];
      iotCaCertificate: string;
    };
    expect(health.regions).toEqual(
      expect.arrayContaining([{ region: REGION, mqttPort: local.local().hub.portFor(REGION), mqttsPort: tlsPort(REGION) }]),
    );
    expect(await (await fetch(health.iotCaCertificate)).text()).toBe(local.local().iotCaCertificatePem);
  });

  it("a device may query its own uuid, and is disconnected when it asks about another's (as AWS IoT does over MQTT 3.1.1)", async () => {
    const device = await provisionDevice("sensor-own-1");
    const client = connected(await connectDevice(tlsPort(), device.thingName, device.credentials));
    expect(await query(client, device.thingName, device.thingName)).toEqual({ uuid: device.thingName });

    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    client.publish("request/query/someone-else", JSON.stringify({ token: `${device.thingName}-x` }), { qos: 1 });
    await closed;
    expect(requests).not.toContain("request/query/someone-else");
    expect(local.brokerLog.join("\n")).toContain(
      `refused PUBLISH and disconnected the client, as AWS IoT does over MQTT 3.1.1: client 'sensor-own-1' (certificate ${device.certificateId}) may not iot:Publish arn:aws:iot:us-east-1:000000000000:topic/request/query/someone-else`,
    );
  });

  it("a device may not subscribe to other clients' responses: disconnected", async () => {
    const device = await provisionDevice("sensor-sub-1");
    const outcome = await connectDevice(tlsPort(), device.thingName, device.credentials);
    const client = connected(outcome);
    client.subscribe("response/query/#", { qos: 1 });
    if (outcome.connected) await outcome.closed;
    expect(local.brokerLog.join("\n")).toContain("may not iot:Subscribe arn:aws:iot:us-east-1:000000000000:topicfilter/response/query/#");
  });

  it("iot:Connect: a client id that is not the certificate's thing gets CONNACK 5 (not authorized)", async () => {
    const device = await provisionDevice("sensor-connect-1");
    const outcome = await connectDevice(tlsPort(), "sensor-someone-else", device.credentials);
    expect(outcome).toEqual({ connected: false, reason: "Connection refused: Not authorized" });
  });

  it("unknown, INACTIVE and REVOKED certificates cannot connect", async () => {
    const iot = local.iot();
    const caPem = local.local().iotCaCertificatePem;
    const unknown = await createSelfSignedCertificate(new Date());
    expect(await connectDevice(tlsPort(), "nobody", { ...unknown, caPem })).toEqual({ connected: false, reason: "closed" });

    const inactive = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: false }));
    await iot.send(new AttachPolicyCommand({ policyName: "MessageApiClientPolicy", target: inactive.certificateArn }));
    const inactiveCredentials = {
      certificatePem: inactive.certificatePem as string,
      privateKeyPem: inactive.keyPair?.PrivateKey as string,
      caPem,
    };
    expect(await connectDevice(tlsPort(), "inactive", inactiveCredentials)).toEqual({ connected: false, reason: "closed" });

    const revoked = await provisionDevice("sensor-revoked-1");
    await iot.send(new UpdateCertificateCommand({ certificateId: revoked.certificateId, newStatus: "REVOKED" }));
    expect(await connectDevice(tlsPort(), revoked.thingName, revoked.credentials)).toEqual({ connected: false, reason: "closed" });

    const lines = local.brokerLog.join("\n");
    expect(lines).toMatch(/refused a TLS connection from [^:]+:\d+: certificate [0-9a-f]{64} is not registered in us-east-1/);
    expect(lines).toContain(`certificate ${inactive.certificateId} is INACTIVE in us-east-1`);
    expect(lines).toContain(`certificate ${revoked.certificateId} is REVOKED in us-east-1`);
  });

  it("deactivating a connected device's certificate disconnects it, and it cannot reconnect", async () => {
    const device = await provisionDevice("sensor-deactivated-1");
    const outcome = await connectDevice(tlsPort(), device.thingName, device.credentials);
    connected(outcome);
    await local.iot().send(new UpdateCertificateCommand({ certificateId: device.certificateId, newStatus: "INACTIVE" }));
    if (outcome.connected) await outcome.closed;
    expect(local.brokerLog.join("\n")).toContain(
      `disconnected client 'sensor-deactivated-1': certificate ${device.certificateId} is INACTIVE`,
    );
    expect(await connectDevice(tlsPort(), device.thingName, device.credentials)).toEqual({ connected: false, reason: "closed" });
  });

  it("detaching the policy that allows iot:Connect disconnects a connected device", async () => {
    const device = await provisionDevice("sensor-detached-1");
    const outcome = await connectDevice(tlsPort(), device.thingName, device.credentials);
    connected(outcome);
    const certificateArn = `arn:aws:iot:${REGION}:000000000000:cert/${device.certificateId}`;
    await local.iot().send(new DetachPolicyCommand({ policyName: "MessageApiClientPolicy", target: certificateArn }));
    if (outcome.connected) await outcome.closed;
    expect(local.brokerLog.join("\n")).toContain("disconnected client 'sensor-detached-1'");
  });

  it("a certificate works only where it is registered: after registering it in the secondary region, the device connects there", async () => {
    const device = await provisionDevice("sensor-failover-1");
    expect(await connectDevice(tlsPort(SECONDARY), device.thingName, device.credentials)).toEqual({ connected: false, reason: "closed" });

    const secondary = local.iot(SECONDARY);
    const registered = await secondary.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: device.credentials.certificatePem, status: "ACTIVE" }),
    );
    expect(registered.certificateId).toBe(device.certificateId);
    await secondary.send(new AttachPolicyCommand({ policyName: "MessageApiClientPolicy", target: registered.certificateArn }));
    await secondary.send(new CreateThingCommand({ thingName: device.thingName }));
    await secondary.send(new AttachThingPrincipalCommand({ thingName: device.thingName, principal: registered.certificateArn }));
    const client = connected(await connectDevice(tlsPort(SECONDARY), device.thingName, device.credentials));
    await client.subscribeAsync(`notification/${device.thingName}`, { qos: 1 });
    const received = new Promise<string>((resolve) => client.once("message", (topic) => resolve(topic)));
    await local.local().hub.publish(SECONDARY, `notification/${device.thingName}`, "{}", 1);
    expect(await received).toBe(`notification/${device.thingName}`);
  });

  it("does not deliver what a device may not receive, without disconnecting it", async () => {
    const iot = local.iot();
    const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iot:Connect", "iot:Subscribe"], Resource: "*" }] };
    await iot.send(new CreatePolicyCommand({ policyName: "ConnectAndSubscribeOnly", policyDocument: JSON.stringify(document) }));
    const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachPolicyCommand({ policyName: "ConnectAndSubscribeOnly", target: keys.certificateArn }));
    const credentials = {
      certificatePem: keys.certificatePem as string,
      privateKeyPem: keys.keyPair?.PrivateKey as string,
      caPem: local.local().iotCaCertificatePem,
    };
    const client = connected(await connectDevice(tlsPort(), "listener-1", credentials));
    await client.subscribeAsync("notification/listener-1", { qos: 1 });
    const topics: string[] = [];
    client.on("message", (topic) => topics.push(topic));
    await local.local().hub.publish(REGION, "notification/listener-1", "{}", 1);
    await eventually(
      async () => local.brokerLog.join("\n"),
      (lines) => lines.includes("did not deliver a message: client 'listener-1'"),
    );
    expect(topics).toEqual([]);
    expect(client.connected).toBe(true);
  });
});
