import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";

/** One answer of the MQTT API, with the time from publishing the request to receiving the response. */
export interface ApiRoundTrip {
  readonly topic: string;
  readonly payload: Record<string, unknown>;
  readonly elapsedMs: number;
}

/** An MQTT API client as a device would be one: its own client id, tokens prefixed with it. */
export interface MqttApiClient {
  readonly clientId: string;
  /** Publishes `payload` (plus a fresh token unless it has one) on `requestTopic` and waits for the answer. */
  request(requestTopic: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<ApiRoundTrip>;
  /** Resolves with the first message on `topic` (subscribe before triggering it). */
  nextMessageOn(topic: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  subscribe(filter: string): Promise<void>;
  close(): Promise<void>;
}

type Waiter = (payload: Record<string, unknown>) => void;

/** What a device presents on a broker's `mqtts://` port: its certificate and private key, and the CA it verifies the broker with. */
export interface DeviceTlsCredentials {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly caPem: string;
}

/**
 * Connects a real MQTT client to a local broker and speaks the request/response API within what the
 * template's API client policy allows a device: tokens are `{clientId}-{random}`, and before each
 * request it subscribes to exactly `response/{op}/{token}` (a device may not subscribe to
 * `response/#`), so every answer is matched to its request by the token in its topic.
 *
 * `noDelay` turns Nagle's algorithm off on the client's socket (mqtt.js leaves it on): mqtt.js may
 * write a packet in pieces, and with Nagle a piece can wait about 40 ms for the broker's delayed ACK,
 * which would measure the TCP stack rather than the API.
 *
 * With `tls` (and an `mqtts://` URL) it connects as a device does to AWS IoT: with its certificate, so
 * the broker holds it to the policies attached to that certificate.
 */
export const connectMqttApiClient = async (
  brokerUrl: string,
  clientId = `client${randomUUID().slice(0, 8)}`,
  noDelay = true,
  tls?: DeviceTlsCredentials,
): Promise<MqttApiClient> => {
  const client: MqttClient = await mqtt.connectAsync(brokerUrl, {
    clientId,
    reconnectPeriod: 0,
    ...(tls ? { cert: tls.certificatePem, key: tls.privateKeyPem, ca: tls.caPem } : {}),
  });
  if (noDelay) (client.stream as Partial<Socket>).setNoDelay?.(true);
  const waiters = new Map<string, Waiter>();
  client.on("message", (topic, payload) => {
    const waiter = waiters.get(topic);
    if (!waiter) return;
    waiters.delete(topic);
    waiter(JSON.parse(payload.toString("utf8")) as Record<string, unknown>);
  });
  const waitFor = (topic: string, timeoutMs: number): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(topic);
        reject(new Error(`no message on ${topic} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.set(topic, (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });
  return {
    clientId,
    request: async (requestTopic, payload = {}, timeoutMs = 10_000) => {
      const token = typeof payload["token"] === "string" ? payload["token"] : `${clientId}-${randomUUID().replace(/-/g, "")}`;
      const op = requestTopic.split("/")[1] ?? "";
      const topic = `response/${op}/${token}`;
      await client.subscribeAsync(topic, { qos: 1 });
      const answer = waitFor(topic, timeoutMs);
      const started = performance.now();
      await client.publishAsync(requestTopic, JSON.stringify({ ...payload, token }), { qos: 1 });
      try {
        const received = await answer;
        return { topic, payload: received, elapsedMs: performance.now() - started };
      } finally {
        void client.unsubscribeAsync(topic).catch(() => undefined);
      }
    },
    nextMessageOn: (topic, timeoutMs = 10_000) => waitFor(topic, timeoutMs),
    subscribe: async (filter) => {
      await client.subscribeAsync(filter, { qos: 1 });
    },
    close: async () => {
      await client.endAsync(true);
    },
  };
};
