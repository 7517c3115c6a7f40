/**
 * `npm run drill -- --devices N [--primary us-east-1] [--secondary us-west-2] [--timeout 420] [--endpoint-url U] [--json]`
 *
 * The disaster recovery drill: provisions N devices in the primary (thing with type and attributes, a
 * group, keys and certificate with the run's policy attached, the thing attached to it, a classic and a
 * named shadow), waits for each to arrive in the secondary, connects each to the secondary's broker over
 * mutual TLS with its own certificate and key and gets its own message back, deletes them in the primary
 * and waits for the deletes to arrive. After provisioning and after deleting it invokes the primary's
 * registry sweep (certificates, policies and attachments have no events) rather than wait for its
 * schedule, unless `--no-sweep-now`. Prints per-stage p50/p99 and every device that missed a stage;
 * the last line is the summary. Exit codes: 0 passed, 1 something missing, 2 bad arguments.
 */
import { randomBytes } from "node:crypto";
import { IoTClient } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { type DrillStage, renderDrillReport, type StageOutcome, summarizeDrill } from "../domain/drill/drill-report";
import { DRILL_USAGE, type DrillArguments, parseDrillArguments } from "./drill-arguments";
import {
  certificateArrived,
  type DrillDevice,
  type DrillRun,
  deleteDevice,
  deleteRun,
  deletesArrived,
  drillRun,
  policyCreator,
  provisionDevice,
  provisionRun,
  registryArrived,
  runLeftovers,
  type StageCheck,
  shadowsArrived,
} from "./drill-fleet";
import { locateBroker, mqttsRoundTrip } from "./drill-mqtt";
import { findSweepFunction, sweepUntilSeen } from "./drill-sweep";
import { clientConfig, runCommand } from "./operator-arguments";

/** Calls at once against one region: enough to overlap round trips, few enough to stay under IoT's API rates. */
const PARALLEL = 4;

const inBatches = async <T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return results;
};

const message = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

interface Clients {
  readonly iot: IoTClient;
  readonly data: IoTDataPlaneClient;
}

/**
 * Polls the secondary for every (device, stage) pair until its check passes or `timeoutMs` runs out,
 * all stages in the same rounds, so a stage that arrives early is seen early; the time is from
 * `since(device)` to the poll that first saw it (accurate to one polling round).
 */
const waitForStages = async (
  stages: readonly (readonly [DrillStage, StageCheck])[],
  secondary: Clients,
  run: DrillRun,
  devices: readonly DrillDevice[],
  since: (device: DrillDevice) => number,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<StageOutcome[]> => {
  const pairs = devices.flatMap((device) =>
    stages.map(([stage, check]) => ({ device, stage, check, key: `${device.thingName} ${stage}` })),
  );
  const arrived = new Map<string, StageOutcome>();
  const lastProblem = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  while (arrived.size < pairs.length && Date.now() < deadline) {
    await inBatches(
      pairs.filter((pair) => !arrived.has(pair.key)),
      async ({ device, stage, check, key }) => {
        try {
          const problem = await check(secondary.iot, secondary.data, run, device);
          if (problem === undefined) arrived.set(key, { device: device.thingName, stage, ms: Date.now() - since(device) });
          else lastProblem.set(key, problem);
        } catch (error) {
          lastProblem.set(key, message(error));
        }
      },
    );
    if (arrived.size < pairs.length) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  for (const [stage] of stages)
    log(`${stage}: ${[...arrived.values()].filter((outcome) => outcome.stage === stage).length}/${devices.length} arrived`);
  return pairs.map(
    ({ device, stage, key }) =>
      arrived.get(key) ?? { device: device.thingName, stage, ms: undefined, problem: lastProblem.get(key) ?? "timed out" },
  );
};

/** Each device whose certificate arrived connects to the secondary's broker with it and gets its own message back. */
const connectEach = async (
  args: DrillArguments,
  secondary: Clients,
  run: DrillRun,
  devices: readonly DrillDevice[],
  outcomes: readonly StageOutcome[],
  log: (line: string) => void,
): Promise<StageOutcome[]> => {
  const broker = await locateBroker(secondary.iot, args.secondary, args.endpointUrl);
  const ready = new Set(
    outcomes.filter((outcome) => outcome.stage === "certificate" && outcome.ms !== undefined).map((outcome) => outcome.device),
  );
  const connections = await inBatches(devices, async (device): Promise<StageOutcome> => {
    if (!ready.has(device.thingName))
      return { device: device.thingName, stage: "mqtts", ms: undefined, problem: "its certificate never arrived" };
    try {
      return {
        device: device.thingName,
        stage: "mqtts",
        ms: await mqttsRoundTrip(broker, device, `${run.topicPrefix}/${device.thingName}`),
      };
    } catch (error) {
      return { device: device.thingName, stage: "mqtts", ms: undefined, problem: message(error) };
    }
  });
  log(
    `mqtts: ${connections.filter((outcome) => outcome.ms !== undefined).length}/${devices.length} round trips on ${broker.host}:${broker.port}`,
  );
  return connections;
};

/**
 * Runs the primary's registry sweep until a pass has seen everything changed up to now (see
 * drill-sweep.ts). A sweep that cannot be run is reported on stderr and the drill waits for the
 * schedule instead: what arrives still arrives within the timeout, or the drill fails.
 */
const sweepNow = async (args: DrillArguments, lambda: LambdaClient, timeoutMs: number, log: (line: string) => void): Promise<void> => {
  if (!args.sweepNow) return;
  const found = findSweepFunction(args.primary, args);
  if ("reason" in found) {
    console.error(`drill: cannot run the sweep now (${found.reason}); waiting for its schedule`);
    return;
  }
  const started = Date.now();
  try {
    const invocations = await sweepUntilSeen(lambda, found.name, started, started + timeoutMs);
    log(`swept ${args.primary} in ${Date.now() - started} ms (${invocations} invocation${invocations === 1 ? "" : "s"} of ${found.name})`);
  } catch (error) {
    console.error(`drill: the sweep in ${args.primary} failed (${message(error)}); waiting for its schedule`);
  }
};

const main = async (): Promise<number> => {
  const parsed = parseDrillArguments(process.argv.slice(2));
  if (parsed.isErr()) {
    console.error(`drill: ${parsed.error}\n${DRILL_USAGE}`);
    return 2;
  }
  const args = parsed.value;
  const log = (line: string) => (args.json ? console.error(line) : console.log(line));
  const primary: Clients = {
    iot: new IoTClient(clientConfig(args.primary, args.endpointUrl)),
    data: new IoTDataPlaneClient(clientConfig(args.primary, args.endpointUrl)),
  };
  const secondary: Clients = {
    iot: new IoTClient(clientConfig(args.secondary, args.endpointUrl)),
    data: new IoTDataPlaneClient(clientConfig(args.secondary, args.endpointUrl)),
  };
  const lambda = new LambdaClient(clientConfig(args.primary, args.endpointUrl));
  const run = drillRun(randomBytes(4).toString("hex"));
  const timeoutMs = args.timeoutSeconds * 1000;
  const outcomes: StageOutcome[] = [];
  const devices: DrillDevice[] = [];
  let stopped: string | undefined;
  try {
    log(`drill ${run.runId}: ${args.devices} devices in ${args.primary}, watched in ${args.secondary}`);
    await provisionRun(primary.iot, run);
    const ensurePolicy = policyCreator(primary.iot, run);
    const indexes = Array.from({ length: args.devices }, (_, index) => index);
    await inBatches(indexes, async (index) => {
      try {
        devices.push(await provisionDevice(primary.iot, primary.data, run, index, ensurePolicy));
      } catch (error) {
        const thingName = `drill-${run.runId}-${index}`;
        outcomes.push({
          device: thingName,
          stage: "registry",
          ms: undefined,
          problem: `provisioning in ${args.primary} failed (${message(error)}): delete thing ${thingName} and its certificate by hand`,
        });
      }
    });
    devices.sort((a, b) => a.thingName.localeCompare(b.thingName, undefined, { numeric: true }));
    log(`provisioned ${devices.length} devices in ${args.primary}`);
    // The sweep runs while the secondary is polled: registry events and shadows do not wait for it.
    const swept = sweepNow(args, lambda, timeoutMs, log);
    const arrivals = [
      ["registry", registryArrived],
      ["certificate", certificateArrived],
      ["shadows", shadowsArrived],
    ] as const;
    outcomes.push(...(await waitForStages(arrivals, secondary, run, devices, (device) => device.provisionedAt, timeoutMs, log)));
    await swept;
    outcomes.push(...(await connectEach(args, secondary, run, devices, outcomes, log)));
  } catch (error) {
    stopped = message(error);
    console.error(`drill ${run.runId} stopped: ${stopped}; deleting what it provisioned`);
  }
  // Whatever happened above, the primary is left as it was found.
  try {
    const deletedAt = new Map<string, number>();
    await inBatches(devices, async (device) => deletedAt.set(device.thingName, await deleteDevice(primary.iot, primary.data, run, device)));
    await deleteRun(primary.iot, run);
    log(`deleted ${devices.length} devices in ${args.primary}`);
    if (stopped === undefined) {
      const swept = sweepNow(args, lambda, timeoutMs, log);
      const arrived = new Set(
        outcomes.filter((outcome) => outcome.stage === "registry" && outcome.ms !== undefined).map((outcome) => outcome.device),
      );
      const deletes = await waitForStages(
        [["deletes", deletesArrived]],
        secondary,
        run,
        devices,
        (device) => deletedAt.get(device.thingName) ?? 0,
        timeoutMs,
        log,
      );
      await swept;
      // A delete "arrives" trivially where the device never did: it proves nothing, so it does not pass.
      outcomes.push(
        ...deletes.map((outcome) =>
          arrived.has(outcome.device)
            ? outcome
            : { ...outcome, ms: undefined, problem: "the device never arrived, so its delete proves nothing" },
        ),
      );
      const leftovers = await runLeftovers(secondary.iot, run).catch((error: unknown) => [`could not check: ${message(error)}`]);
      // The run's group and policy are no device's: a leftover is reported under the run's name.
      if (leftovers.length > 0)
        outcomes.push({
          device: `run ${run.runId}`,
          stage: "deletes",
          ms: undefined,
          problem: `still in ${args.secondary}: ${leftovers.join(", ")}`,
        });
    }
  } catch (error) {
    console.error(
      `drill ${run.runId}: cleanup of ${args.primary} failed: ${message(error)}; delete things, certificates, group ${run.groupName} and policy ${run.policyName} by hand`,
    );
    return 1;
  } finally {
    for (const client of [primary.iot, primary.data, secondary.iot, secondary.data, lambda]) client.destroy();
  }
  if (stopped !== undefined) return 1;
  const report = summarizeDrill(args.primary, args.secondary, args.devices, outcomes);
  if (args.json) console.log(JSON.stringify({ runId: run.runId, ...report }, null, 2));
  else for (const line of renderDrillReport(report)) console.log(line);
  return report.passed ? 0 : 1;
};

runCommand("drill", main);
