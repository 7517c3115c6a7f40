// One aedes broker per local region, running in a worker thread.
//
// aedes is published as ECMAScript modules only. The project compiles to CommonJS and its jest
// runtime cannot load ESM from a CommonJS module, so the brokers live in a worker thread (a plain
// Node isolate that imports ESM natively) and talk to broker-hub.ts by messages. This file is the
// only JavaScript in local-cloud/src/mqtt: a worker needs a file Node can run without a TypeScript loader.
//
// Each broker listens on a plain port (no authentication, for tools and tests) and, when the hub
// passes TLS material, on a mutual-TLS port where AWS IoT's rules hold: a client must present a
// certificate registered and ACTIVE in that region, and the policies attached to it decide
// iot:Connect, iot:Publish, iot:Subscribe and iot:Receive. The decisions come from
// src/iot/mqtt-authorizer.ts, which the hub bundles and passes in as `workerData.authorizerSource`,
// evaluated here against the latest registry snapshot the hub sent for the region. As AWS IoT does
// over MQTT 3.1.1: a refused CONNECT gets CONNACK 5 (not authorized); a refused PUBLISH or SUBSCRIBE
// closes the connection (3.1.1 has no way to say "not authorized" for them); a message the client may
// not receive is not delivered to it.
//
// Commands (from the hub): { id, type: "start", region, port, tlsPort } -> { port, tlsPort }   (a failure: { error, code, port })
//                          { id, type: "publish", region, topic, payload, qos, retain } -> {}
//                          { id, type: "access", region, snapshot } -> {} (applied; refused clients disconnected)
//                          { id, type: "close" } -> {}
// Events (to the hub):     { type: "published", region, topic, payload } for every message any
//                          client or the hub publishes (except the broker's own $SYS heartbeats);
//                          { type: "log", region, line } for every refusal on a TLS port.
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { parentPort, workerData } from "node:worker_threads";
import { Aedes } from "aedes";

const { host, tls, authorizerSource } = workerData;
const authorization = authorizerSource
  ? await import(`data:text/javascript;base64,${Buffer.from(authorizerSource).toString("base64")}`)
  : undefined;

/** @type {Map<string, { broker: Aedes, servers: import("node:net").Server[] }>} */
const brokers = new Map();
/** region -> the authorizer for its latest registry snapshot. */
const authorizers = new Map();
/** TLS socket -> id of the certificate its client presented. Plain-port sockets are not in here. */
const certificateIds = new WeakMap();
/** aedes client -> { certificateId, clientId } once iot:Connect allowed it. */
const principals = new WeakMap();

const log = (region, line) => parentPort.postMessage({ type: "log", region, line });

const authorizerFor = (region) => {
  let authorizer = authorizers.get(region);
  if (!authorizer) {
    authorizer = authorization.createRegionAuthorizer(authorization.emptyAccessSnapshot(region, ""));
    authorizers.set(region, authorizer);
  }
  return authorizer;
};

/** The AWS IoT checks as aedes hooks; clients of the plain port (no certificate) are not checked. */
const accessHooks = (region) => ({
  authenticate: (client, _username, _password, done) => {
    const certificateId = certificateIds.get(client.conn);
    if (certificateId === undefined) return done(null, true);
    const principal = { certificateId, clientId: client.id };
    const result = authorizerFor(region).connect(principal);
    if (!result.allowed) {
      log(region, `refused CONNECT (CONNACK 5, not authorized): ${result.reason}`);
      return done(Object.assign(new Error(result.reason), { returnCode: 5 }), false);
    }
    principals.set(client, principal);
    done(null, true);
  },
  authorizePublish: (client, packet, done) => {
    const principal = client && principals.get(client);
    if (!principal) return done(null);
    const result = authorizerFor(region).publish(principal, packet.topic, packet.retain === true);
    if (result.allowed) return done(null);
    log(region, `refused PUBLISH and disconnected the client, as AWS IoT does over MQTT 3.1.1: ${result.reason}`);
    done(new Error(result.reason));
  },
  authorizeSubscribe: (client, subscription, done) => {
    const principal = client && principals.get(client);
    if (!principal) return done(null, subscription);
    const result = authorizerFor(region).subscribe(principal, subscription.topic);
    if (result.allowed) return done(null, subscription);
    log(region, `refused SUBSCRIBE and disconnected the client, as AWS IoT does over MQTT 3.1.1: ${result.reason}`);
    done(new Error(result.reason));
  },
  authorizeForward: (client, packet) => {
    const principal = principals.get(client);
    if (!principal) return packet;
    const result = authorizerFor(region).receive(principal, packet.topic);
    if (result.allowed) return packet;
    log(region, `did not deliver a message: ${result.reason}`);
    return null;
  },
});

const listen = (server, port) =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server.address().port));
  });

/** How long a closed TLS connection waits for the device's own close before it is cut. */
const CLOSE_GRACE_MS = 5_000;

/**
 * aedes closes a connection with destroy() (after DISCONNECT, or to refuse a packet). On a TLS socket
 * that drops the connection while the device's close_notify is on its way, so the device reads a
 * reset (ECONNRESET) instead of the clean close AWS IoT gives it; end() sends close_notify and FIN
 * first, and the socket goes once the device closes its side (or after the grace period).
 */
const closeGracefully = (socket) => {
  const destroy = socket.destroy.bind(socket);
  socket.destroy = (error) => {
    if (socket.destroyed || socket.writableEnded || !socket.writable) return destroy(error);
    socket.end();
    socket.setTimeout(CLOSE_GRACE_MS, () => destroy());
    return socket;
  };
};

/** Mutual TLS: the handshake asks for a client certificate; the registry, not a CA chain, decides whether it may go on. */
const startTlsServer = (region, broker) => {
  const server = createTlsServer({ key: tls.privateKeyPem, cert: tls.certificatePem, requestCert: true, rejectUnauthorized: false });
  server.on("secureConnection", (socket) => {
    socket.setNoDelay(true);
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    const peer = socket.getPeerCertificate();
    if (!peer?.raw) {
      log(region, `refused a TLS connection from ${from}: it presented no client certificate`);
      return socket.destroy();
    }
    const certificateId = createHash("sha256").update(peer.raw).digest("hex");
    const admitted = authorizerFor(region).admit(certificateId);
    const expired = Date.parse(peer.valid_to) < Date.now() ? `certificate ${certificateId} expired on ${peer.valid_to}` : undefined;
    if (!admitted.allowed || expired) {
      log(region, `refused a TLS connection from ${from}: ${expired ?? admitted.reason}`);
      return socket.destroy();
    }
    certificateIds.set(socket, certificateId);
    closeGracefully(socket);
    broker.handle(socket);
  });
  server.on("tlsClientError", (error, socket) => {
    log(region, `TLS handshake with ${socket.remoteAddress}:${socket.remotePort} failed: ${error.message}`);
  });
  return server;
};

const start = async ({ region, port, tlsPort }) => {
  const broker = await Aedes.createBroker({ heartbeatInterval: 60_000, ...(authorization ? accessHooks(region) : {}) });
  broker.on("publish", (packet) => {
    if (packet.topic.startsWith("$SYS/")) return;
    parentPort.postMessage({ type: "published", region, topic: packet.topic, payload: packet.payload });
  });
  // Nagle's algorithm would hold each packet's second write (aedes writes header and payload apart)
  // for the peer's delayed ACK, about 40 ms per hop, as AWS IoT's endpoints do not.
  const servers = [createServer({ noDelay: true }, broker.handle)];
  if (tls && authorization && tlsPort !== undefined) servers.push(startTlsServer(region, broker));
  brokers.set(region, { broker, servers });
  const [plainPort, securePort] = await Promise.all(servers.map((server, index) => listen(server, index === 0 ? port : tlsPort)));
  return { port: plainPort, tlsPort: securePort };
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

/** A new registry snapshot: later decisions use it, and TLS clients it no longer lets connect are disconnected now. */
const access = ({ region, snapshot }) => {
  if (!authorization) return {};
  const authorizer = authorization.createRegionAuthorizer(snapshot);
  authorizers.set(region, authorizer);
  for (const client of Object.values(brokers.get(region)?.broker.clients ?? {})) {
    const principal = principals.get(client);
    if (!principal) continue;
    const result = authorizer.connect(principal);
    if (result.allowed) continue;
    log(region, `disconnected client '${principal.clientId}': ${result.reason}`);
    client.close();
  }
  return {};
};

const closeAll = async () => {
  for (const { broker, servers } of brokers.values()) {
    await new Promise((resolve) => broker.close(() => resolve()));
    for (const server of servers) await new Promise((resolve) => server.close(() => resolve()));
  }
  brokers.clear();
  return {};
};

const commands = { start, publish, access, close: closeAll };

parentPort.on("message", (command) => {
  Promise.resolve()
    .then(() => commands[command.type](command))
    .then(
      (result) => parentPort.postMessage({ type: "reply", id: command.id, result }),
      (error) =>
        parentPort.postMessage({
          type: "reply",
          id: command.id,
          error: String(error?.message ?? error),
          code: error?.code,
          port: error?.port,
        }),
    );
});
