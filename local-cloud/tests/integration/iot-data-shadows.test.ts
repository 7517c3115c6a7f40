import {
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  IoTDataPlaneClient,
  ListNamedShadowsForThingCommand,
  ListRetainedMessagesCommand,
  PublishCommand,
  UpdateThingShadowCommand,
} from "@aws-sdk/client-iot-data-plane";
import { connectAsync, type MqttClient } from "mqtt";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";
import { createIotDataService } from "../../src/iot-data/iot-data-service";
import { type BrokerHub, startBrokerHub } from "../../src/mqtt/broker-hub";

const START_MS = 1_700_000_000_000;
const START_S = START_MS / 1000;

describe("IoT data plane: shadows and Publish", () => {
  let hub: BrokerHub;
  let endpoint: LocalEndpoint;
  let now = START_MS;
  const clients: MqttClient[] = [];
  const sdk = (region = "us-east-1"): IoTDataPlaneClient =>
    new IoTDataPlaneClient({ region, endpoint: endpoint.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const east = (): IoTDataPlaneClient => sdk();

  const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
  const decode = (payload: Uint8Array | undefined): Record<string, any> => JSON.parse(new TextDecoder().decode(payload));
  const update = async (thingName: string, document: unknown, shadowName?: string, client = east()) =>
    decode((await client.send(new UpdateThingShadowCommand({ thingName, shadowName, payload: encode(document) }))).payload);
  const get = async (thingName: string, shadowName?: string, client = east()) =>
    decode((await client.send(new GetThingShadowCommand({ thingName, shadowName }))).payload);
  const errorName = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => "no error",
      (error: Error) => error.name,
    );

  /** A device on the region's broker, recording every message on the given topics. */
  const device = async (topics: string[], region = "us-east-1") => {
    const client = await connectAsync(`mqtt://127.0.0.1:${await hub.ensureRegion(region)}`, { protocolVersion: 4, reconnectPeriod: 0 });
    clients.push(client);
    const received: { topic: string; body: Record<string, any> }[] = [];
    const waiters: { topic: string; resolve: (body: Record<string, any>) => void }[] = [];
    client.on("message", (topic, payload) => {
      const body = JSON.parse(payload.toString());
      const waiter = waiters.findIndex((w) => w.topic === topic);
      if (waiter >= 0) waiters.splice(waiter, 1)[0]!.resolve(body);
      else received.push({ topic, body });
    });
    await client.subscribeAsync(topics, { qos: 1 });
    const next = (topic: string): Promise<Record<string, any>> => {
      const index = received.findIndex((message) => message.topic === topic);
      if (index >= 0) return Promise.resolve(received.splice(index, 1)[0]!.body);
      return new Promise((resolve) => waiters.push({ topic, resolve }));
    };
    return { client, received, next };
  };

  beforeAll(async () => {
    hub = await startBrokerHub({ basePort: 0, regions: ["us-east-1", "eu-west-1"] });
    endpoint = await startLocalEndpoint({ port: 0, services: [createIotDataService({ hub, clock: () => now })] });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.endAsync()));
    await endpoint.close();
    await hub.close();
  });

  test("an update creates the shadow, merges later updates and computes the delta", async () => {
    const accepted = await update("lamp", { state: { desired: { color: "red", level: { a: 1 } } }, clientToken: "t1" });
    expect(accepted).toEqual({
      state: { desired: { color: "red", level: { a: 1 } } },
      metadata: { desired: { color: { timestamp: START_S }, level: { a: { timestamp: START_S } } } },
      version: 1,
      timestamp: START_S,
      clientToken: "t1",
    });
    now += 5000;
    await update("lamp", { state: { reported: { color: "green", level: { a: 1, b: 2 } } } });
    now += 5000;
    const second = await update("lamp", { state: { desired: { color: "green", level: { a: null, c: [1, 2] } } }, version: 2 });
    expect(second.version).toBe(3);
    const document = await get("lamp");
    expect(document).toEqual({
      state: {
        desired: { color: "green", level: { c: [1, 2] } },
        reported: { color: "green", level: { a: 1, b: 2 } },
        delta: { level: { c: [1, 2] } },
      },
      metadata: {
        desired: { color: { timestamp: START_S + 10 }, level: { c: [{ timestamp: START_S + 10 }, { timestamp: START_S + 10 }] } },
        reported: { color: { timestamp: START_S + 5 }, level: { a: { timestamp: START_S + 5 }, b: { timestamp: START_S + 5 } } },
      },
      version: 3,
      timestamp: START_S + 10,
    });
    await update("lamp", { state: { desired: null } });
    expect((await get("lamp")).state).toEqual({ reported: { color: "green", level: { a: 1, b: 2 } } });
  });

  test("a stale version is a ConflictException and bad documents are InvalidRequestException", async () => {
    await update("door", { state: { reported: { open: false } } });
    expect(await errorName(update("door", { state: { reported: { open: true } }, version: 7 }))).toBe("ConflictException");
    expect(await errorName(update("door", { nope: 1 }))).toBe("InvalidRequestException");
    expect(await errorName(update("door", { state: { desired: 5 } }))).toBe("InvalidRequestException");
    expect((await get("door")).version).toBe(1);
  });

  test("missing shadows are ResourceNotFoundException; regions are separate", async () => {
    expect(await errorName(get("ghost"))).toBe("ResourceNotFoundException");
    expect(await errorName(east().send(new DeleteThingShadowCommand({ thingName: "ghost" })))).toBe("ResourceNotFoundException");
    await update("regional", { state: { reported: { on: true } } });
    expect(await errorName(get("regional", undefined, sdk("eu-west-1")))).toBe("ResourceNotFoundException");
    expect(await errorName(get("regional", undefined, sdk("ap-south-1")))).toBe("ResourceNotFoundException");
  });

  test("named shadows are separate from the classic shadow and listed with paging", async () => {
    await update("multi", { state: { reported: { x: 1 } } }, "config");
    await update("multi", { state: { reported: { y: 1 } } }, "alarms");
    await update("multi", { state: { reported: { z: 1 } } });
    expect((await get("multi", "config")).state).toEqual({ reported: { x: 1 } });
    const page1 = await east().send(new ListNamedShadowsForThingCommand({ thingName: "multi", pageSize: 1 }));
    expect(page1.results).toEqual(["alarms"]);
    expect(typeof page1.timestamp).toBe("number");
    const page2 = await east().send(new ListNamedShadowsForThingCommand({ thingName: "multi", pageSize: 1, nextToken: page1.nextToken }));
    expect(page2.results).toEqual(["config"]);
    expect(page2.nextToken).toBeUndefined();
  });

  test("delete answers version and timestamp; a shadow re-created within 48 h continues the version", async () => {
    await update("cycle", { state: { reported: { n: 1 } } });
    await update("cycle", { state: { reported: { n: 2 } } });
    const deleted = decode((await east().send(new DeleteThingShadowCommand({ thingName: "cycle" }))).payload);
    expect(deleted).toEqual({ version: 2, timestamp: Math.floor(now / 1000) });
    expect(await errorName(get("cycle"))).toBe("ResourceNotFoundException");
    expect((await update("cycle", { state: { reported: { n: 3 } } })).version).toBe(3);
    expect((await get("cycle")).state).toEqual({ reported: { n: 3 } });
    await east().send(new DeleteThingShadowCommand({ thingName: "cycle" }));
    now += 49 * 3600 * 1000;
    expect((await update("cycle", { state: { reported: { n: 4 } } })).version).toBe(1);
  });

  test("accepted updates are announced on /accepted, /documents and /delta; deletes on /delete/accepted", async () => {
    const prefix = "$aws/things/watched/shadow/name/cfg";
    const watcher = await device([
      `${prefix}/update/accepted`,
      `${prefix}/update/documents`,
      `${prefix}/update/delta`,
      `${prefix}/delete/accepted`,
    ]);
    await update("watched", { state: { reported: { speed: 1 } } }, "cfg");
    await update("watched", { state: { desired: { speed: 5 } } }, "cfg");
    expect((await watcher.next(`${prefix}/update/accepted`)).version).toBe(1);
    const first = await watcher.next(`${prefix}/update/documents`);
    expect(first.previous).toBeNull();
    expect(first.current).toMatchObject({ state: { reported: { speed: 1 } }, version: 1 });
    const second = await watcher.next(`${prefix}/update/documents`);
    expect(second.previous).toMatchObject({ state: { reported: { speed: 1 } }, version: 1 });
    expect(second.current).toMatchObject({ state: { desired: { speed: 5 }, reported: { speed: 1 } }, version: 2 });
    expect(await watcher.next(`${prefix}/update/delta`)).toMatchObject({ version: 2, state: { speed: 5 } });
    await east().send(new DeleteThingShadowCommand({ thingName: "watched", shadowName: "cfg" }));
    expect(await watcher.next(`${prefix}/delete/accepted`)).toMatchObject({ version: 2 });
  });

  test("devices update, get and delete shadows over MQTT and get the same answers", async () => {
    const prefix = "$aws/things/sensor/shadow";
    const sensor = await device([
      `${prefix}/update/accepted`,
      `${prefix}/update/rejected`,
      `${prefix}/get/accepted`,
      `${prefix}/get/rejected`,
      `${prefix}/delete/accepted`,
      `${prefix}/delete/rejected`,
    ]);
    await sensor.client.publishAsync(`${prefix}/get`, JSON.stringify({ clientToken: "g0" }), { qos: 1 });
    expect(await sensor.next(`${prefix}/get/rejected`)).toMatchObject({ code: 404, clientToken: "g0" });
    await sensor.client.publishAsync(`${prefix}/update`, JSON.stringify({ state: { reported: { temp: 21 } }, clientToken: "u1" }), {
      qos: 1,
    });
    expect(await sensor.next(`${prefix}/update/accepted`)).toMatchObject({
      state: { reported: { temp: 21 } },
      version: 1,
      clientToken: "u1",
    });
    expect((await get("sensor")).state).toEqual({ reported: { temp: 21 } });
    await sensor.client.publishAsync(`${prefix}/update`, JSON.stringify({ state: { reported: { temp: 22 } }, version: 9 }), { qos: 1 });
    expect(await sensor.next(`${prefix}/update/rejected`)).toMatchObject({ code: 409, message: "Version conflict" });
    await sensor.client.publishAsync(`${prefix}/update`, "not json", { qos: 1 });
    expect(await sensor.next(`${prefix}/update/rejected`)).toMatchObject({ code: 400 });
    await sensor.client.publishAsync(`${prefix}/get`, "", { qos: 1 });
    expect(await sensor.next(`${prefix}/get/accepted`)).toMatchObject({ state: { reported: { temp: 21 } }, version: 1 });
    await sensor.client.publishAsync(`${prefix}/delete`, "", { qos: 1 });
    expect(await sensor.next(`${prefix}/delete/accepted`)).toMatchObject({ version: 1 });
    await sensor.client.publishAsync(`${prefix}/delete`, "", { qos: 1 });
    expect(await sensor.next(`${prefix}/delete/rejected`)).toMatchObject({ code: 404 });
  });

  test("Publish delivers to devices of that region, topics with slashes included", async () => {
    const listener = await device(["fleet/+/commands"], "eu-west-1");
    await sdk("eu-west-1").send(new PublishCommand({ topic: "fleet/d 1/commands", qos: 1, payload: encode({ op: "reboot" }) }));
    expect(await listener.next("fleet/d 1/commands")).toEqual({ op: "reboot" });
  });

  test("Publish to a shadow update topic is processed like a device request", async () => {
    await east().send(
      new PublishCommand({ topic: "$aws/things/viaPublish/shadow/update", payload: encode({ state: { desired: { on: true } } }) }),
    );
    let document: Record<string, any> | undefined;
    for (let attempt = 0; attempt < 50 && !document; attempt++) {
      document = await get("viaPublish").catch(() => undefined);
      if (!document) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(document?.state).toEqual({ desired: { on: true }, delta: { on: true } });
  });

  test("operations the local cloud does not emulate fail loudly", async () => {
    expect(await errorName(east().send(new ListRetainedMessagesCommand({})))).toBe("NotImplementedException");
  });
});
