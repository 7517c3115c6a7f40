import { IoTClient } from "@aws-sdk/client-iot";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";
import { createIotService } from "../../src/iot/iot-service";
import { createLocalCertificateAuthority, type LocalCertificateAuthority } from "../../src/iot/x509-certificates";

export interface PublishedMessage {
  readonly region: string;
  readonly topic: string;
  readonly payload: Record<string, unknown>;
}

/** A local endpoint serving only the IoT control plane, with a recording broker and a settable clock. */
export interface IotTestEndpoint {
  readonly endpoint: LocalEndpoint;
  readonly messages: PublishedMessage[];
  /** The CA that issues CreateKeysAndCertificate certificates. */
  readonly certificateAuthority: LocalCertificateAuthority;
  client(region?: string): IoTClient;
  setNow(millis: number): void;
  close(): Promise<void>;
}

export const startIotTestEndpoint = async (): Promise<IotTestEndpoint> => {
  let now = 1_700_000_000_000;
  let sequence = 0;
  const messages: PublishedMessage[] = [];
  const certificateAuthority = await createLocalCertificateAuthority(new Date(now));
  const service = createIotService({
    publish: async (region, topic, payload) => {
      messages.push({ region, topic, payload: JSON.parse(payload) as Record<string, unknown> });
    },
    clock: () => now,
    newId: () => `id-${++sequence}`,
    endpointAddress: (region) => `iot.${region}.local`,
    certificateAuthority,
  });
  const endpoint = await startLocalEndpoint({ port: 0, services: [service] });
  const clients: IoTClient[] = [];
  return {
    endpoint,
    messages,
    certificateAuthority,
    client: (region = "us-east-1") => {
      const client = new IoTClient({
        region,
        endpoint: endpoint.url,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    setNow: (millis) => {
      now = millis;
    },
    close: async () => {
      for (const client of clients) client.destroy();
      await endpoint.close();
    },
  };
};

/** Runs a call that must fail and returns the AWS error name (the SDK exception class). */
export const errorName = async (call: Promise<unknown>): Promise<string> => {
  try {
    await call;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error("expected the call to fail");
};
