import { watchLaunchers } from "./launcher-watch";
import { exitWithFailure, StartupError } from "./startup-error";

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Runs `close` once, then exits, whichever way the command is stopped: Ctrl-C (SIGINT), SIGTERM
 * (`kill`, `npm start`'s npm forwarding it), SIGHUP (the terminal closed), or the process that
 * launched it dying without telling anyone (`kill -9` of npm or tsx). So the local cloud stops
 * everything it started (DynamoDB Local's JVM, esbuild's service, workers, brokers) and frees its
 * ports instead of leaving them behind. Ctrl-C reaches every process of the
 * job (and npm forwards it again), so further signals while closing are ignored.
 */
export const closeOnSignals = (close: () => Promise<void>): void => {
  let closing = false;
  const stop = (reason: string): void => {
    if (closing) return;
    closing = true;
    stopWatching();
    console.log(`\n${reason}: stopping the local cloud...`);
    close().then(() => process.exit(0), exitWithFailure);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
  const stopWatching = watchLaunchers((pid) => stop(`the process that started the local cloud (pid ${pid}) is gone`));
};

/** A port from the environment, or the default; 0 means "any free port". */
export const portFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new StartupError(`${name} must be a TCP port number (0-65535, 0 for any free port), got ${JSON.stringify(raw)}`);
  return port;
};
