import { connectAsync, type MqttClient } from "mqtt";
import { findFreePort } from "../../src/free-port";
import { type BrokerHub, startBrokerHub } from "../../src/mqtt/broker-hub";

/** Resolves with the next message a client receives on a topic matching `predicate`. */
const nextMessage = (client: MqttClient, predicate: (topic: string) => boolean = () => true): Promise<{ topic: string; payload: string }> =>
  new Promise((resolve) => {
    const listener = (topic: string, payload: Buffer): void => {
      if (!predicate(topic)) return;
      client.off("message", listener);
      resolve({ topic, payload: payload.toString() });
    };
    client.on("message", listener);
  });

describe("MQTT broker hub", () => {
  let hub: BrokerHub;
  const clients: MqttClient[] = [];

  const connect = async (region: string): Promise<MqttClient> => {
    const client = await connectAsync(`mqtt://127.0.0.1:${hub.portFor(region)}`, { protocolVersion: 4, reconnectPeriod: 0 });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    hub = await startBrokerHub({ basePort: 0, regions: ["us-east-1", "eu-west-1"] });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.endAsync()));
    await hub.close();
  });

  test("each region is its own broker on its own port", async () => {
    const east = hub.portFor("us-east-1");
    const west = hub.portFor("eu-west-1");
    expect(east).toBeGreaterThan(0);
    expect(west).toBeGreaterThan(0);
    expect(east).not.toBe(west);
    expect(hub.regions().sort()).toEqual(["eu-west-1", "us-east-1"]);
  });

  test("a device receives what the hub publishes in its region only", async () => {
    const eastDevice = await connect("us-east-1");
    const westDevice = await connect("eu-west-1");
    await eastDevice.subscribeAsync("devices/+/cmd", { qos: 1 });
    await westDevice.subscribeAsync("devices/+/cmd", { qos: 1 });
    const westMessages: string[] = [];
    westDevice.on("message", (topic) => westMessages.push(topic));
    const received = nextMessage(eastDevice);
    await hub.publish("us-east-1", "devices/d1/cmd", "reboot", 1);
    expect(await received).toEqual({ topic: "devices/d1/cmd", payload: "reboot" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(westMessages).toEqual([]);
  });

  test("in-process subscriptions see device publishes with MQTT wildcard rules", async () => {
    const seen: string[] = [];
    const unsubscribeWildcard = hub.subscribe("us-east-1", "#", (topic) => {
      seen.push(`#:${topic}`);
    });
    const gotShadow = new Promise<string>((resolve) => {
      hub.subscribe("us-east-1", "$aws/things/+/shadow/update", (topic, payload) => resolve(`${topic}=${payload.toString()}`));
    });
    const device = await connect("us-east-1");
    await device.publishAsync("$aws/things/t1/shadow/update", '{"state":{}}', { qos: 1 });
    await device.publishAsync("telemetry/t1", "42", { qos: 1 });
    expect(await gotShadow).toBe('$aws/things/t1/shadow/update={"state":{}}');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(["#:telemetry/t1"]);
    unsubscribeWildcard();
    await device.publishAsync("telemetry/t1", "43", { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual(["#:telemetry/t1"]);
  });

  test("an unknown region gets a broker lazily", async () => {
    const port = await hub.ensureRegion("ap-southeast-2");
    expect(hub.portFor("ap-southeast-2")).toBe(port);
    const device = await connect("ap-southeast-2");
    await device.subscribeAsync("hello");
    const received = nextMessage(device);
    await hub.publish("ap-southeast-2", "hello", Buffer.from("world"));
    expect((await received).payload).toBe("world");
  });

  test("retained messages reach late subscribers", async () => {
    await hub.publish("eu-west-1", "config/fleet", "v2", 1, true);
    const device = await connect("eu-west-1");
    const received = nextMessage(device);
    await device.subscribeAsync("config/fleet", { qos: 1 });
    expect((await received).payload).toBe("v2");
  });

  test("invalid filters are refused where they are made", () => {
    expect(() => hub.subscribe("us-east-1", "a/#/b", () => undefined)).toThrow(/invalid MQTT topic filter/);
  });
});

describe("MQTT broker hub ports", () => {
  test("regions listen on basePort + index", async () => {
    const base = await findFreePort();
    const hub = await startBrokerHub({ basePort: base, regions: ["us-east-1"] });
    try {
      expect(hub.portFor("us-east-1")).toBe(base);
    } finally {
      await hub.close();
    }
  });
});
