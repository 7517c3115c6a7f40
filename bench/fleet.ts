import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeThingCommand, UpdateEventConfigurationsCommand, UpdateThingCommand } from "@aws-sdk/client-iot";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { type LocalCloud, type QuotaBucketReport, startLocalCloud } from "local-cloud";
import { eventually } from "local-cloud/testing";
import { percentile } from "../src/domain/verification/replication-status";
import { provisionFleet } from "../tests/e2e/support/bootstrap-fleet";
import { missing } from "../tests/e2e/support/disaster-recovery";
import { runOperatorCommand } from "../tests/support/operator-command";
import { projectRoot } from "./functions";
import type { OutputSink } from "./output-sink";
import { atLeast, atMost, type BenchRow, compare } from "./results";

const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";
const REGISTRY_EVENTS = ["THING", "THING_TYPE", "THING_TYPE_ASSOCIATION", "THING_GROUP", "THING_GROUP_MEMBERSHIP", "THING_GROUP_HIERARCHY"];
/** The template's ReplicationLagAlarmThresholdMs default. */
const LAG_ALARM_MS = 300_000;
/**
 * The primary's reads during the snapshot are not what is measured (the quotas are on the secondary):
 * they are raised as an account with a large fleet would have them, so the snapshot takes seconds.
 */
const SNAPSHOT_QUOTA_OVERRIDES =
  "ListThingPrincipals=1000,DescribeCertificate=1000,ListTargetsForPolicy=1000,ListPolicyVersions=1000,GetPolicy=1000";

/** What the local cloud's counters say of one API in the secondary over the bootstrap. */
export interface ApiRate {
  readonly api: string;
  readonly quota: number;
  readonly calls: number;
  readonly throttled: number;
  /** From its first to its last granted call. */
  readonly seconds: number;
  /** Calls per second in that span (the bucket's initial burst left out). */
  readonly perSecond: number;
  readonly ofQuota: number;
  /** At its quota, its own calls fill at least half of that span: it set the bootstrap's pace there. */
  readonly pacing: boolean;
}

export interface FleetRun {
  readonly devices: number;
  readonly share: number;
  readonly bootstrapMs: number;
  readonly code: number;
  readonly stderr: readonly string[];
  readonly summary: string | undefined;
  readonly rates: readonly ApiRate[];
  /** Each live change: when it was made (epoch ms) and how long it took to show in the secondary (Infinity: never). */
  readonly liveChanges: readonly { readonly changedAt: number; readonly lagMs: number }[];
  /** When the apply phase started (after the snapshot of the primary and its replication): epoch ms. */
  readonly applyStartedAt: number | undefined;
  /** Messages left in the secondary's dead-letter queues once the redrive had its chance (deferred entities pass through). */
  readonly deadLettered: { readonly apply: number; readonly capture: number };
}

const queueDepth = async (cloud: LocalCloud, logicalId: string): Promise<number> => {
  const url = cloud.regions.get(SECONDARY)?.resources.get(logicalId)?.physicalId;
  if (!url) throw new Error(`${SECONDARY} has no ${logicalId}`);
  const names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] as const;
  const { Attributes } = await cloud
    .clients(SECONDARY)
    .sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] }));
  return names.reduce((sum, name) => sum + Number(Attributes?.[name] ?? 0), 0);
};

/** The API rates of the secondary from the local cloud's quota counters. */
const ratesOf = async (cloud: LocalCloud): Promise<ApiRate[]> => {
  const report = (await (await fetch(`${cloud.aws.url}/_local/faults`)).json()) as { quotas: QuotaBucketReport[] };
  return report.quotas
    .filter((quota) => quota.region === SECONDARY && quota.granted > quota.burst * 3 && quota.firstGrantedAt && quota.lastGrantedAt)
    .map((quota) => {
      const seconds = ((quota.lastGrantedAt as number) - (quota.firstGrantedAt as number)) / 1000;
      const perSecond = (quota.granted - quota.burst) / seconds;
      return {
        api: quota.operation,
        quota: quota.tps,
        calls: quota.granted,
        throttled: quota.throttled,
        seconds,
        perSecond,
        ofQuota: perSecond / quota.tps,
        pacing: quota.granted / quota.tps >= 0.5 * seconds,
      };
    });
};

/**
 * The fleet-scale simulation on a running local cloud (deployed with IotApiQuotaShare = `share` and a
 * fast redrive): `devices` devices made in the primary with registry events off (a fleet that
 * predates capture), AWS's default IoT quotas put on the secondary, `npm run bootstrap` into it, and a
 * live change (a thing attribute) every 2 s in the primary while it runs, each timed until it shows in
 * the secondary.
 */
export const runFleetBootstrap = async (cloud: LocalCloud, options: { devices: number; share: number }): Promise<FleetRun> => {
  const devices = await provisionFleet(cloud, "fleet", options.devices);
  await cloud.clients(PRIMARY).iot.send(
    new UpdateEventConfigurationsCommand({
      eventConfigurations: Object.fromEntries(REGISTRY_EVENTS.map((type) => [type, { Enabled: true }])),
    }),
  );
  // AWS's default quotas in the secondary from here (its counters start here too); the primary has none in this run.
  const quotas = await fetch(`${cloud.aws.url}/_local/faults`, {
    method: "PUT",
    body: JSON.stringify({ quotaProfile: { name: "aws-default", regions: [SECONDARY] } }),
  });
  if (quotas.status !== 200) throw new Error(`PUT /_local/faults: ${quotas.status} ${await quotas.text()}`);

  const started = Date.now();
  const bootstrap = runOperatorCommand("bootstrap", [
    ...["--primary", PRIMARY, "--secondary", SECONDARY, "--shadows", "--quota-share", "1"],
    ...["--quota-overrides", SNAPSHOT_QUOTA_OVERRIDES, "--endpoint-url", cloud.aws.url],
  ]);
  let running = true;
  void bootstrap.then(() => {
    running = false;
  });
  const arrivals: Promise<{ changedAt: number; lagMs: number }>[] = [];
  for (let change = 0; running; change += 1) {
    const device = devices[change % devices.length];
    if (!device) break;
    const value = `live-${change}`;
    const changedAt = Date.now();
    await cloud
      .clients(PRIMARY)
      .iot.send(new UpdateThingCommand({ thingName: device.thingName, attributePayload: { attributes: { live: value }, merge: true } }));
    arrivals.push(
      eventually(
        async () => {
          // A thing the bootstrap has not reached yet is made by the live change itself (its record is no longer a bulk load).
          const thing = await missing(cloud.clients(SECONDARY).iot.send(new DescribeThingCommand({ thingName: device.thingName })));
          return thing === "missing" ? undefined : thing.attributes?.["live"];
        },
        (seen) => seen === value,
        600_000,
      ).then(
        () => ({ changedAt, lagMs: Date.now() - changedAt }),
        () => ({ changedAt, lagMs: Number.POSITIVE_INFINITY }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const outcome = await bootstrap;
  const bootstrapMs = Date.now() - started;
  const liveChanges = await Promise.all(arrivals);
  const status = await runOperatorCommand("status", [
    "--primary",
    PRIMARY,
    "--secondary",
    SECONDARY,
    "--json",
    "--endpoint-url",
    cloud.aws.url,
  ]);
  const applyStartedAt = (JSON.parse(status.stdout || "{}") as { bootstrap?: { startedAt?: number } }).bootstrap?.startedAt;
  const rates = await ratesOf(cloud);
  // Entities deferred while a dependency was missing are parked with a delay; the redrive empties the queue.
  await eventually(
    () => queueDepth(cloud, "ApplyDeadLetterQueue"),
    (left) => left === 0,
    600_000,
  ).catch(() => undefined);
  return {
    devices: options.devices,
    share: options.share,
    bootstrapMs,
    code: outcome.code,
    // The SDK's advice that the snapshot queued writes for a socket is not a failure.
    stderr: outcome.stderr
      .split("\n")
      .filter(
        (line) => line.trim() !== "" && !/socket usage at capacity|node-configuring-maxsockets|socketAcquisitionWarningTimeout/.test(line),
      ),
    summary: outcome.stdout.trim().split("\n").at(-1),
    rates,
    liveChanges,
    applyStartedAt,
    deadLettered: { apply: await queueDepth(cloud, "ApplyDeadLetterQueue"), capture: await queueDepth(cloud, "CaptureDeadLetterQueue") },
  };
};

/** The local cloud the simulation runs on: the applier's share of each quota, and the redrive every minute. */
export const fleetParameterOverrides = (share: number): Record<string, string> => ({
  LogLevel: "WARN",
  IotApiQuotaShare: String(share),
  RedriveSchedule: "rate(1 minute)",
});

/** The lags of the live changes made while the secondary applied the bootstrap (after the snapshot), sorted. */
export const applyPhaseLags = (run: FleetRun): number[] =>
  run.liveChanges
    .filter((change) => run.applyStartedAt !== undefined && change.changedAt >= run.applyStartedAt)
    .map((change) => change.lagMs)
    .sort((a, b) => a - b);

/** The bench rows of one run: each pacing API's rate against its quota, the live changes' lag against the alarm. */
export const fleetRows = (run: FleetRun): BenchRow[] => rowsOf(run).map((row) => ({ ...row, stage: "fleet" }));

const rowsOf = (run: FleetRun): BenchRow[] => {
  const context = `${run.devices}-device bootstrap ${PRIMARY} -> ${SECONDARY} at AWS's default quotas, IotApiQuotaShare ${run.share}`;
  const lags = applyPhaseLags(run);
  return [
    ...run.rates
      .filter((rate) => rate.pacing)
      .map((rate) =>
        compare({
          figure: `${rate.api} rate during the ${context}`,
          unit: "calls/s",
          value: rate.perSecond,
          against: `its default quota (${rate.calls} calls, ${rate.throttled} throttled)`,
          reference: rate.quota,
          target: atLeast(0.9),
        }),
      ),
    compare({
      figure: `live change lag p99 while the secondary applied the ${context} (${lags.length} changes)`,
      unit: "ms",
      value: percentile(lags, 99) ?? 0,
      against: "the lag alarm's threshold (ReplicationLagAlarmThresholdMs default)",
      reference: LAG_ALARM_MS,
      target: atMost(1),
    }),
  ];
};

/** `npm run bench`'s fleet stage: the simulation on its own local cloud. */
export const benchFleet = async (options: { devices: number; share: number; sink: OutputSink }): Promise<BenchRow[]> => {
  const cloud = await startLocalCloud({
    projectRoot,
    port: 0,
    mqttBasePort: 0,
    mqttTlsBasePort: 0,
    parameterOverrides: fleetParameterOverrides(options.share),
    log: () => undefined,
    functionOutput: (chunk) => options.sink.write(chunk),
  });
  try {
    const run = await runFleetBootstrap(cloud, options);
    // The whole run (every API's counters, every live change's lag) beside the rows, for docs/scale.md.
    writeFileSync(join(projectRoot, "bench", "fleet-run.json"), `${JSON.stringify(run, null, 2)}\n`);
    if (run.code !== 0) throw new Error(`fleet: npm run bootstrap ended with ${run.code}: ${run.stderr.join(" ")}`);
    return fleetRows(run);
  } finally {
    await cloud.close();
  }
};
