import mqtt, { type MqttClient } from "mqtt";

/** What a device presents on a broker's TLS port: its certificate and key, and the CA it verifies the broker with. */
export interface DeviceCredentials {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly caPem: string;
}

export type ConnectOutcome =
  | { readonly connected: true; readonly client: MqttClient; readonly closed: Promise<void> }
  /** `reason` is mqtt.js's error (e.g. "Connection refused: Not authorized" for CONNACK 5) or "closed" when the broker hung up first. */
  | { readonly connected: false; readonly reason: string };

/**
 * Connects a real mqtt.js client (MQTT 3.1.1) over mutual TLS to `localhost:port`, verifying the broker
 * against the CA as a device does, and reports how the broker answered instead of retrying.
 */
export const connectDevice = (port: number, clientId: string, credentials: DeviceCredentials): Promise<ConnectOutcome> =>
  new Promise((resolve) => {
    const client = mqtt.connect(`mqtts://localhost:${port}`, {
      clientId,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ca: credentials.caPem,
      cert: credentials.certificatePem,
      key: credentials.privateKeyPem,
    });
    const closed = new Promise<void>((done) => client.once("close", () => done()));
    let settled = false;
    const settle = (outcome: ConnectOutcome): void => {
      if (settled) return;
      settled = true;
      // A connection the broker closes later may still report its socket's error: the test watches `closed`.
      client.removeAllListeners("error");
      client.on("error", () => undefined);
      if (!outcome.connected) client.end(true);
      resolve(outcome);
    };
    client.once("connect", () => settle({ connected: true, client, closed }));
    client.once("error", (error) => settle({ connected: false, reason: error.message }));
    void closed.then(() => settle({ connected: false, reason: "closed" }));
  });
