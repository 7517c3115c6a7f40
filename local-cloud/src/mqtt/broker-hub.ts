import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { AccessSnapshot } from "../iot/mqtt-authorizer";
import { type BrokerTlsOptions, bundleMqttAuthorizer } from "./broker-tls";
import { assertValidTopicFilter, topicMatches } from "./topic-filter";

export type MqttQos = 0 | 1;

/** Receives every message published on a region's broker whose topic matches the subscription's filter. */
export type BrokerMessageHandler = (topic: string, payload: Buffer, region: string) => void | Promise<void>;

export interface BrokerHubOptions {
  /** regions[i] listens on basePort + i; 0 gives every region a free port (tests). */
  readonly basePort: number;
  readonly regions: readonly string[];
  readonly host?: string;
  /** Where failures of in-process handlers go; there is no caller to return them to. */
  readonly onHandlerError?: (error: unknown, topic: string, region: string) => void;
  /**
   * Each broker also listens with mutual TLS, where AWS IoT's rules hold: registered ACTIVE
   * certificates only, and the policies attached to them (see broker-worker.mjs). Without it, plain ports only.
   */
  readonly tls?: BrokerTlsOptions;
  /** Where the brokers' refusals on TLS ports go (default: the console): a refused client learns little, the operator should not. */
  readonly log?: (line: string) => void;
}

/**
 * The MQTT side of the local cloud: each region is its own AWS IoT endpoint, so each region gets its
 * own broker, and local services (IoT data plane, topic rules) publish and subscribe in-process.
 */
export interface BrokerHub {
  /** Port of a region's broker, or undefined while that region has no broker yet. */
  portFor(region: string): number | undefined;
  /** Mutual-TLS port of a region's broker, or undefined without TLS or while that region has no broker yet. */
  tlsPortFor(region: string): number | undefined;
  /**
   * Replaces what a region's TLS port authorises against; clients the new registry no longer lets connect
   * (certificate not ACTIVE any more, iot:Connect no longer allowed) are disconnected before it resolves.
   */
  updateAccess(region: string, snapshot: AccessSnapshot): Promise<void>;
  /** Starts a broker (on a free port) for a region nobody configured, as AWS answers in any region. */
  ensureRegion(region: string): Promise<number>;
  publish(region: string, topic: string, payload: string | Buffer, qos?: MqttQos, retain?: boolean): Promise<void>;
  /** Server-side subscription with MQTT wildcard rules; returns the function that ends it. */
  subscribe(region: string, topicFilter: string, handler: BrokerMessageHandler): () => void;
  /** The same in every region, including regions whose broker starts later (the shadow service needs this). */
  subscribeAllRegions(topicFilter: string, handler: BrokerMessageHandler): () => void;
  regions(): string[];
  close(): Promise<void>;
}

interface Subscription {
  /** Undefined: every region. */
  readonly region: string | undefined;
  readonly filter: string;
  readonly handler: BrokerMessageHandler;
}

type StartedPorts = { port?: number; tlsPort?: number };
type WorkerReply = { type: "reply"; id: number; result?: StartedPorts; error?: string; code?: string; port?: number };

/** A broker that could not start: which region, which port (plain or TLS), and Node's error code (`EADDRINUSE`, ...). */
export class BrokerStartError extends Error {
  constructor(
    readonly region: string,
    readonly port: number,
    readonly code: string | undefined,
    cause: Error,
  ) {
    super(`the MQTT broker of ${region} could not listen on port ${port}: ${cause.message}`);
    this.name = "BrokerStartError";
  }
}
type WorkerPublished = { type: "published"; region: string; topic: string; payload: Uint8Array };
type WorkerLog = { type: "log"; region: string; line: string };

const WORKER_FILE = join(__dirname, "broker-worker.mjs");

/**
 * Starts one aedes broker (MQTT 3.1.1 on 127.0.0.1) per configured region, on a plain port and, with
 * `tls`, on a mutual-TLS port. Brokers run in a worker thread because aedes ships as ESM only (see
 * broker-worker.mjs); this hub keeps the in-process subscriptions and matches topics itself.
 */
export const startBrokerHub = async (options: BrokerHubOptions): Promise<BrokerHub> => {
  const host = options.host ?? "127.0.0.1";
  const tls = options.tls;
  const authorizerSource = tls ? await bundleMqttAuthorizer() : undefined;
  const worker = new Worker(WORKER_FILE, {
    workerData: { host, tls: tls && { certificatePem: tls.certificatePem, privateKeyPem: tls.privateKeyPem }, authorizerSource },
  });
  const pending = new Map<number, { resolve: (result: StartedPorts) => void; reject: (error: Error) => void }>();
  const ports = new Map<string, number>();
  const tlsPorts = new Map<string, number>();
  const starting = new Map<string, Promise<number>>();
  const subscriptions = new Set<Subscription>();
  let nextCommandId = 1;
  let closed = false;
  const reportHandlerError =
    options.onHandlerError ??
    ((error: unknown, topic: string, region: string) => console.error(`[local mqtt ${region}] handler for ${topic} failed`, error));

  const deliver = (event: WorkerPublished): void => {
    const payload = Buffer.from(event.payload);
    for (const subscription of subscriptions) {
      if (subscription.region !== undefined && subscription.region !== event.region) continue;
      if (!topicMatches(subscription.filter, event.topic)) continue;
      Promise.resolve()
        .then(() => subscription.handler(event.topic, payload, event.region))
        .catch((error: unknown) => reportHandlerError(error, event.topic, event.region));
    }
  };

  const log = options.log ?? ((line: string) => console.log(line));
  worker.on("message", (message: WorkerReply | WorkerPublished | WorkerLog) => {
    if (message.type === "published") return deliver(message);
    if (message.type === "log") return log(`[local mqtts ${message.region}] ${message.line}`);
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(Object.assign(new Error(message.error), { code: message.code, port: message.port }));
    else waiter?.resolve(message.result ?? {});
  });
  const failPending = (error: Error): void => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on("error", failPending);
  let workerExited = false;
  worker.on("exit", (code) => {
    workerExited = true;
    failPending(new Error(`MQTT broker worker exited (code ${code})`));
  });

  const command = (body: Record<string, unknown>): Promise<StartedPorts> =>
    new Promise((resolve, reject) => {
      if (workerExited) return reject(new Error("MQTT broker worker is not running"));
      const id = nextCommandId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id });
    });

  const startRegion = (region: string, port: number, tlsPort: number): Promise<number> => {
    const existing = starting.get(region);
    if (existing) return existing;
    const started = command({ type: "start", region, port, ...(tls ? { tlsPort } : {}) }).then(
      (result) => {
        const actual = result.port ?? port;
        ports.set(region, actual);
        if (result.tlsPort !== undefined) tlsPorts.set(region, result.tlsPort);
        return actual;
      },
      (error: Error & { code?: string; port?: number }) => {
        throw new BrokerStartError(region, error.port ?? port, error.code, error);
      },
    );
    starting.set(region, started);
    return started;
  };

  try {
    const nth = (base: number, i: number): number => (base === 0 ? 0 : base + i);
    await Promise.all(options.regions.map((region, i) => startRegion(region, nth(options.basePort, i), nth(tls?.basePort ?? 0, i))));
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const ensureRegion = (region: string): Promise<number> => {
    if (closed) return Promise.reject(new Error("broker hub is closed"));
    return startRegion(region, 0, 0);
  };

  return {
    portFor: (region) => ports.get(region),
    tlsPortFor: (region) => tlsPorts.get(region),
    ensureRegion,
    updateAccess: async (region, snapshot) => {
      if (!tls || closed) return;
      await command({ type: "access", region, snapshot });
    },
    publish: async (region, topic, payload, qos = 0, retain = false) => {
      await ensureRegion(region);
      await command({ type: "publish", region, topic, payload: typeof payload === "string" ? Buffer.from(payload) : payload, qos, retain });
    },
    subscribe: (region, topicFilter, handler) => {
      assertValidTopicFilter(topicFilter);
      const subscription: Subscription = { region, filter: topicFilter, handler };
      subscriptions.add(subscription);
      ensureRegion(region).catch((error: unknown) => reportHandlerError(error, topicFilter, region));
      return () => {
        subscriptions.delete(subscription);
      };
    },
    subscribeAllRegions: (topicFilter, handler) => {
      assertValidTopicFilter(topicFilter);
      const subscription: Subscription = { region: undefined, filter: topicFilter, handler };
      subscriptions.add(subscription);
      return () => {
        subscriptions.delete(subscription);
      };
    },
    regions: () => [...ports.keys()],
    close: async () => {
      if (closed) return;
      closed = true;
      subscriptions.clear();
      await Promise.allSettled(starting.values());
      await command({ type: "close" });
      await worker.terminate();
    },
  };
};
