import { join } from "node:path";
import { eventually } from "../../src/testing/local-cloud-fixture";
import {
  commandLineOf,
  descendantsOf,
  isListening,
  killStartedCommands,
  type RunningCommand,
  runCommand,
  TSX,
} from "../support/command-process";

afterAll(killStartedCommands);

const FREE_PORTS = { LOCAL_AWS_PORT: "0", LOCAL_MQTT_PORT: "0", LOCAL_MQTTS_PORT: "0" };

/** Waits until the command has exited and none of the processes it started is left, nor any of its ports. */
const expectNothingLeft = async (command: RunningCommand, processes: readonly number[], ports: readonly number[]): Promise<void> => {
  await command.exited;
  // npm may exit before the graceful close it forwarded the signal to has finished; a loaded machine takes its time.
  await eventually(
    async () => processes.filter((pid) => commandLineOf(pid) !== undefined).map((pid) => commandLineOf(pid)),
    (left) => left.length === 0,
    90_000,
  );
  for (const port of ports) expect(await isListening(port)).toBe(false);
};

test("Ctrl-C runs the graceful close (DynamoDB Local's own signal hook steps aside), then nothing is left listening", async () => {
  const script = runCommand(TSX, [join(__dirname, "..", "support", "graceful-close-script.ts")]);
  const port = Number((await script.waitFor(/ready (\d+)/))[1]);
  expect(await isListening(port)).toBe(true);

  script.child.kill("SIGINT");
  expect(await script.exited).toBe(0);
  expect(script.output()).toContain("SIGINT: stopping the local cloud...");
  expect(script.output()).toContain("closed gracefully");
  expect(await isListening(port)).toBe(false);
}, 60_000);

test("kill -TERM of `npm start` stops everything it started: node, the JVM of DynamoDB Local, esbuild, and every port", async () => {
  const npm = runCommand("npm", ["start", "--", "--no-demo"], FREE_PORTS);
  const endpointPort = Number((await npm.waitFor(/AWS endpoint: http:\/\/127\.0\.0\.1:(\d+)/))[1]);
  await npm.waitFor(/Try it/);
  const mqttPorts = [...npm.output().matchAll(/MQTT mqtt:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
  const processes = descendantsOf(npm.child.pid as number);
  const commandLines = processes.map((pid) => commandLineOf(pid) ?? "");
  expect(commandLines.some((line) => line.startsWith("java ") && line.includes("DynamoDBLocal.jar"))).toBe(true);
  expect(commandLines.some((line) => line.includes("esbuild") && line.includes("--service"))).toBe(true);
  expect(mqttPorts.length).toBeGreaterThan(0);
  for (const port of [endpointPort, ...mqttPorts]) expect(await isListening(port)).toBe(true);

  npm.child.kill("SIGTERM");
  await expectNothingLeft(npm, processes, [endpointPort, ...mqttPorts]);
  expect(npm.output()).toContain("SIGTERM: stopping the local cloud...");
}, 180_000);

test("when the process that launched it dies (kill -9 of npm), `npm run local:endpoint` stops itself and frees its ports", async () => {
  const npm = runCommand("npm", ["run", "local:endpoint"], FREE_PORTS);
  const endpointPort = Number((await npm.waitFor(/local AWS endpoint ready in \d+ ms: http:\/\/127\.0\.0\.1:(\d+)/))[1]);
  await npm.waitFor(/try: aws/);
  const mqttPorts = [...npm.output().matchAll(/MQTT mqtt:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
  const processes = descendantsOf(npm.child.pid as number);
  expect(processes.some((pid) => commandLineOf(pid)?.startsWith("java "))).toBe(true);

  npm.child.kill("SIGKILL");
  await expectNothingLeft(npm, processes, [endpointPort, ...mqttPorts]);
}, 120_000);
