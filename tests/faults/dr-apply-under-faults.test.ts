import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import { eventually, LOCAL_CREDENTIALS, useLocalCloud } from "local-cloud/testing";
import { disasterRecovery, PRIMARY, SECONDARY } from "../e2e/support/disaster-recovery";
import { runOperatorCommand } from "../support/operator-command";
import { runDrWorkload } from "./support/dr-workload";
import { faultCounts, faultsBetween, putFaults } from "./support/fault-run";

const OPERATIONS = 1000;
const SEED = 10;
const FAULTS = {
  seed: SEED,
  duplicate: 0.1,
  reorderMs: 200,
  throttle: [
    { service: "iot", region: SECONDARY, operation: "*", probability: 0.2 },
    { service: "iotdata", region: SECONDARY, operation: "*", probability: 0.2 },
  ],
  crash: 0.05,
};

/**
 * Disaster recovery under the local cloud's faults: 1,000 random operations on the primary's registry,
 * certificates, policies, attachments and shadows (creates, updates, deletes, names re-used) while
 * events and stream records are duplicated and reordered, 20% of the secondary's IoT and IoT data calls
 * are throttled and functions crash part-way through batches; then the primary's sweep (certificates,
 * policies and attachments have no events) and `npm run verify -- --live` until it reports no drift.
 */
const local = useLocalCloud({ parameterOverrides: { LogLevel: "WARN" } });
const { iot, enableRegistryEvents } = disasterRecovery(local.cloud);

/** Runs the primary's sweep until a pass that started after `since` completes (a crash or a held lease: again). */
const sweepAfter = async (since: number): Promise<number> => {
  const sweep = local.cloud().regions.get(PRIMARY)?.functions.get("SweepRegistryFunction");
  if (!sweep) throw new Error(`${PRIMARY} runs no SweepRegistryFunction`);
  return eventually(
    async () => {
      const outcome = await sweep.invoke({});
      const run = (outcome.ok ? outcome.result : undefined) as { ran?: boolean; complete?: boolean; passStartedAt?: number } | undefined;
      return Boolean(run?.ran && run.complete && (run.passStartedAt ?? 0) >= since);
    },
    (done) => done,
    600_000,
  ).then(() => Date.now() - since);
};

describe(`disaster recovery under faults: ${OPERATIONS} random operations on ${PRIMARY}, verified live in ${SECONDARY}`, () => {
  it("ends with verify --live reporting zero drift", async () => {
    await enableRegistryEvents();
    const data = new IoTDataPlaneClient({ region: PRIMARY, endpoint: local.cloud().aws.url, credentials: LOCAL_CREDENTIALS });
    const before = await faultCounts(local.cloud());
    await putFaults(local.cloud(), FAULTS);
    const started = Date.now();
    let operations: Record<string, number>;
    try {
      operations = await runDrWorkload(iot(PRIMARY), data, SEED, OPERATIONS);
    } finally {
      data.destroy();
    }
    const operatedMs = Date.now() - started;
    const sweptMs = await sweepAfter(Date.now());
    let lastReport = "";
    const drift = await eventually(
      async () => {
        const outcome = await runOperatorCommand(
          "verify",
          ["--primary", PRIMARY, "--secondary", SECONDARY, "--live", "--json", "--endpoint-url", local.cloud().aws.url],
          // The verify's own reads of the throttled secondary ride out 20% throttling as an operator's would.
          { AWS_MAX_ATTEMPTS: "12" },
        );
        lastReport = outcome.stdout || outcome.stderr;
        if (outcome.code === 0) return 0;
        const parsed = JSON.parse(outcome.stdout || "{}") as { drifts?: unknown[] };
        return parsed.drifts?.length ?? -1;
      },
      (count) => count === 0,
      900_000,
    ).catch((error: Error) => `${error.message}\n${lastReport.slice(0, 4000)}`);
    const convergedMs = Date.now() - started;
    const injected = faultsBetween(before, await faultCounts(local.cloud()));
    await putFaults(local.cloud(), {});
    expect(drift).toBe(0);
    expect(Object.values(operations).reduce((sum, count) => sum + count, 0)).toBe(OPERATIONS);
    for (const where of [`throttle/iot/${SECONDARY}`, "duplicate/topic-rule"])
      expect({ where, fired: (injected[where] ?? 0) > 0 }).toEqual({ where, fired: true });
    console.log(
      `DR under faults: ${OPERATIONS} operations ${JSON.stringify(operations)} in ${operatedMs} ms; sweep ${sweptMs} ms; verify --live zero drift ${convergedMs} ms after the first; faults ${JSON.stringify(injected)}`,
    );
  }, 1_800_000);
});
