// One aedes broker per local region, running in a worker thread.
//
// aedes is published as ECMAScript modules only. The project compiles to CommonJS and its jest
// runtime cannot load ESM from a CommonJS module, so the brokers live in a worker thread (a plain
// Node isolate that imports ESM natively) and talk to broker-hub.ts by messages. This file is the
// only JavaScript in src/local/mqtt: a worker needs a file Node can run without a TypeScript loader.
//
// Commands (from the hub): { id, type: "start", region, port, host } -> { port }   (a failure: { error, code })
//                          { id, type: "publish", region, topic, payload, qos, retain } -> {}
//                          { id, type: "close" } -> {}
// Events (to the hub):     { type: "published", region, topic, payload } for every message any
//                          client or the hub publishes (except the broker's own $SYS heartbeats).
import { createServer } from "node:net";
import { parentPort } from "node:worker_threads";
import { Aedes } from "aedes";

/** @type {Map<string, { broker: Aedes, server: import("node:net").Server }>} */
const brokers = new Map();

const start = async ({ region, port, host }) => {
  const broker = await Aedes.createBroker({ heartbeatInterval: 60_000 });
  broker.on("publish", (packet) => {
    if (packet.topic.startsWith("$SYS/")) return;
    parentPort.postMessage({ type: "published", region, topic: packet.topic, payload: packet.payload });
  });
  // Nagle's algorithm would hold each packet's second write (aedes writes header and payload apart)
  // for the peer's delayed ACK, about 40 ms per hop, as AWS IoT's endpoints do not.
  const server = createServer({ noDelay: true }, broker.handle);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  brokers.set(region, { broker, server });
  return { port: server.address().port };
};

const publish = ({ region, topic, payload, qos, retain }) => {
  const entry = brokers.get(region);
  if (!entry) throw new Error(`no broker for region ${region}`);
  return new Promise((resolve, reject) => {
    entry.broker.publish({ cmd: "publish", topic, payload: Buffer.from(payload), qos, retain, dup: false }, (error) =>
      error ? reject(error) : resolve({}),
    );
  });
};

const closeAll = async () => {
  for (const { broker, server } of brokers.values()) {
    await new Promise((resolve) => broker.close(() => resolve()));
    await new Promise((resolve) => server.close(() => resolve()));
  }
  brokers.clear();
  return {};
};

const commands = { start, publish, close: closeAll };

parentPort.on("message", (command) => {
  Promise.resolve()
    .then(() => commands[command.type](command))
    .then(
      (result) => parentPort.postMessage({ type: "reply", id: command.id, result }),
      (error) => parentPort.postMessage({ type: "reply", id: command.id, error: String(error?.message ?? error), code: error?.code }),
    );
});
