import { mkdtempSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killStartedCommands, runCommand, TSX } from "../support/command-process";

afterAll(killStartedCommands);

const ENDPOINT = join(__dirname, "..", "..", "src", "serve-endpoint.ts");

const listenOn = (port: number): Promise<Server | undefined> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
/** The port of a server this test holds (listening on port 0 always succeeds). */
const portOf = (server: Server | undefined): number => {
  const address = server?.address();
  if (!address || typeof address === "string") throw new Error("the test's own server is not listening");
  return address.port;
};
const close = (server: Server | undefined): Promise<void> => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));

/** A port held by this test whose predecessor is free: a busy `LOCAL_MQTT_PORT + 1`. */
const busyPortAfterFreeOne = async (): Promise<{ held: Server; port: number }> => {
  for (;;) {
    const held = await listenOn(0);
    const port = portOf(held);
    const before = await listenOn(port - 1);
    if (before) {
      await close(before);
      return { held: held as Server, port };
    }
    await close(held);
  }
};

/** Runs the endpoint command to its end and returns its exit code and output. */
const failedStart = async (env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> => {
  const command = runCommand(TSX, [ENDPOINT], env);
  const code = await command.exited;
  return { code, output: command.output() };
};

/** One line on stderr naming the problem, and no stack trace. */
const expectOneLine = (output: string, pattern: RegExp): void => {
  const lines = output.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(output).not.toMatch(/^\s+at /m);
};

test("a busy endpoint port (`npm start` twice): one line naming the port and LOCAL_AWS_PORT, exit code 1", async () => {
  const held = await listenOn(0);
  const port = portOf(held);
  try {
    const { code, output } = await failedStart({ LOCAL_AWS_PORT: String(port), LOCAL_MQTT_PORT: "0", LOCAL_MQTTS_PORT: "0" });
    expect(code).toBe(1);
    expectOneLine(output, new RegExp(`^error: port ${port} of the AWS endpoint is in use \\(is another .npm start.*LOCAL_AWS_PORT`));
  } finally {
    await close(held);
  }
}, 60_000);

test("a busy LOCAL_MQTT_PORT + 1: one line naming that port, the second region's broker and LOCAL_MQTT_PORT", async () => {
  const { held, port } = await busyPortAfterFreeOne();
  try {
    const { code, output } = await failedStart({
      LOCAL_AWS_PORT: "0",
      LOCAL_MQTT_PORT: String(port - 1),
      LOCAL_MQTTS_PORT: "0",
      LOCAL_REGIONS: "us-east-1,eu-west-1",
    });
    expect(code).toBe(1);
    expectOneLine(
      output,
      new RegExp(`^error: MQTT port ${port} \\(broker of eu-west-1, LOCAL_MQTT_PORT \\+ 1\\) is in use .*LOCAL_MQTT_PORT`),
    );
  } finally {
    await close(held);
  }
}, 60_000);

test("no java on PATH: one line saying DynamoDB Local needs Java 17, not `spawn java ENOENT`", async () => {
  const bin = mkdtempSync(join(tmpdir(), "no-java-"));
  symlinkSync(process.execPath, join(bin, "node"));
  const { code, output } = await failedStart({ PATH: bin, LOCAL_AWS_PORT: "0", LOCAL_MQTT_PORT: "0", LOCAL_MQTTS_PORT: "0" });
  expect(code).toBe(1);
  expectOneLine(output, /^error: java not found on PATH: DynamoDB Local needs Java 17 or newer/);
}, 60_000);

test("a port setting that is not a port: one line naming the variable", async () => {
  const { code, output } = await failedStart({ LOCAL_AWS_PORT: "http://localhost:4566" });
  expect(code).toBe(1);
  expectOneLine(output, /^error: LOCAL_AWS_PORT must be a TCP port number .*got "http:\/\/localhost:4566"/);
}, 60_000);
