import { IoTDataPlaneClient, PublishCommand } from "@aws-sdk/client-iot-data-plane";

/**
 * Baseline for the API latency figure: a function that does nothing but answer. The same topic rule
 * path as the message API (broker -> rule -> function -> IoT data Publish -> broker), with no table
 * and no validation, so request -> response through it is the bare round trip of the platform.
 */
const client = new IoTDataPlaneClient({});

export const handler = async (event: { token?: unknown; topic?: unknown }): Promise<void> => {
  const op = String(event.topic ?? "").split("/")[1] ?? "noop";
  await client.send(new PublishCommand({ topic: `response/${op}/${String(event.token)}`, qos: 1, payload: "{}" }));
};
