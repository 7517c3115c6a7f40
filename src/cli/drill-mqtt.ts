import { DescribeEndpointCommand, type IoTClient } from "@aws-sdk/client-iot";
import mqtt from "mqtt";

/** Where a region's devices connect over mutual TLS, and the CA they verify the broker with (undefined: the system's, which trusts Amazon's). */
export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
  readonly caPem: string | undefined;
}

/**
 * The secondary's broker: on the local cloud, the region's mqtts port from `GET /_local/health` and the
 * local IoT CA from `/_local/iot/ca.pem`; on AWS, the region's iot:Data-ATS endpoint on 8883.
 */
export const locateBroker = async (iot: IoTClient, region: string, endpointUrl: string | undefined): Promise<BrokerAddress> => {
  if (endpointUrl) {
    const base = endpointUrl.replace(/\/$/, "");
    const health = (await (await fetch(`${base}/_local/health`)).json()) as { regions?: { region: string; mqttsPort?: number }[] };
    const port = health.regions?.find((entry) => entry.region === region)?.mqttsPort;
    if (!port) throw new Error(`the local cloud at ${endpointUrl} runs no mqtts broker for ${region}`);
    const ca = await fetch(`${base}/_local/iot/ca.pem`);
    if (!ca.ok) throw new Error(`the local cloud at ${endpointUrl} serves no IoT CA (${ca.status})`);
    return { host: "localhost", port, caPem: await ca.text() };
  }
  const { endpointAddress } = await iot.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }));
  if (!endpointAddress) throw new Error(`DescribeEndpoint gave no iot:Data-ATS address in ${region}`);
  return { host: endpointAddress, port: 8883, caPem: undefined };
};

/**
 * Connects as the device (client id = its thing name, its own certificate and key), subscribes to its
 * topic, publishes a message there and waits for it to come back: the round trip proves the broker
 * accepted the certificate and the policy allows Connect, Subscribe, Publish and Receive. Resolves with
 * the milliseconds it took; rejects with the broker's answer.
 */
export const mqttsRoundTrip = async (
  broker: BrokerAddress,
  device: { readonly thingName: string; readonly certificatePem: string; readonly privateKeyPem: string },
  topic: string,
  timeoutMs = 20_000,
): Promise<number> => {
  const started = Date.now();
  const client = await mqtt.connectAsync(`mqtts://${broker.host}:${broker.port}`, {
    clientId: device.thingName,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    cert: device.certificatePem,
    key: device.privateKeyPem,
    ...(broker.caPem ? { ca: broker.caPem } : {}),
  });
  try {
    const nonce = `${device.thingName}-${started}`;
    const received = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message back on ${topic} within ${timeoutMs} ms`)), timeoutMs);
      client.on("message", (_topic, payload) => {
        if (payload.toString() === nonce) {
          clearTimeout(timer);
          resolve();
        }
      });
      client.once("close", () => {
        clearTimeout(timer);
        reject(new Error("the broker closed the connection (refused by the policy?)"));
      });
    });
    // Ending the connection early (a refused subscription) closes it: that rejection is not the error to report.
    received.catch(() => undefined);
    const granted = await client.subscribeAsync(topic, { qos: 1 });
    if (granted.some((grant) => grant.qos === 128)) throw new Error(`subscription to ${topic} refused`);
    await client.publishAsync(topic, nonce, { qos: 1 });
    await received;
    return Date.now() - started;
  } finally {
    await client.endAsync(true);
  }
};
