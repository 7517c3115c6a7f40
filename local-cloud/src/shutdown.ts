/**
 * Runs `close` once on Ctrl-C or SIGTERM so that the local cloud stops everything it started
 * (DynamoDB Local's JVM included) instead of leaving processes behind.
 */
export const closeOnSignals = (close: () => Promise<void>): void => {
  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: stopping the local cloud...`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
};

/** A port from the environment, or the default; 0 means "any free port". */
export const portFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a TCP port number, got ${JSON.stringify(raw)}`);
  return port;
};
