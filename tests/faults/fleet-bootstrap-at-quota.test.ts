import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeThingCommand, UpdateThingCommand } from "@aws-sdk/client-iot";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { eventually, useLocalCloud } from "local-cloud/testing";
import { provisionFleet } from "../e2e/support/bootstrap-fleet";
import { disasterRecovery, missing, PRIMARY, SECONDARY } from "../e2e/support/disaster-recovery";
import { runOperatorCommand } from "../support/operator-command";
import { physicalId, putFaults } from "./support/fault-run";

/** 5,000 by default, as issue 13 asks; FLEET_DEVICES runs it smaller (the certificate APIs' 10 TPS set its length). */
const DEVICES = Number(process.env["FLEET_DEVICES"] ?? 5_000);
/** The applier's share of each quota in this run: the rest of the account's quota is idle here. */
const SHARE = 0.95;

interface QuotaCounter {
  readonly service: string;
  readonly region: string;
  readonly operation: string;
  readonly tps: number;
  readonly burst: number;
  readonly granted: number;
  readonly throttled: number;
  readonly firstGrantedAt?: number;
  readonly lastGrantedAt?: number;
}

/**
 * The fleet-scale simulation: a fleet that predates capture in the primary, bootstrapped into the
 * secondary under AWS's default IoT quotas (the local cloud's aws-default profile on the secondary),
 * while live changes flow from the primary. It reports the achieved rate of every API against its
 * quota, the live changes' lag while the bootstrap runs, and what was dead-lettered (nothing).
 */
const local = useLocalCloud({
  parameterOverrides: { LogLevel: "WARN", IotApiQuotaShare: String(SHARE), RedriveSchedule: "rate(1 minute)" },
});
const { enableRegistryEvents } = disasterRecovery(local.cloud);

describe(`fleet bootstrap at AWS's default quotas: ${DEVICES} devices ${PRIMARY} -> ${SECONDARY}`, () => {
  it(
    "runs every API it uses at >= 90% of its quota, dead-letters nothing, and keeps live changes flowing",
    async () => {
      const cloud = local.cloud();
      const devices = await provisionFleet(cloud, "fleet", DEVICES);
      await enableRegistryEvents();
      // AWS's default quotas in the secondary from now on (the counters start here too); the primary has none in this run.
      await putFaults(cloud, { quotaProfile: { name: "aws-default", regions: [SECONDARY] } });

      const endpoint = ["--endpoint-url", cloud.aws.url];
      const started = Date.now();
      const bootstrap = runOperatorCommand("bootstrap", [
        "--primary",
        PRIMARY,
        "--secondary",
        SECONDARY,
        "--shadows",
        "--quota-share",
        "1",
        "--quota-overrides",
        "ListThingPrincipals=1000,DescribeCertificate=1000,ListTargetsForPolicy=1000,ListPolicyVersions=1000,GetPolicy=1000",
        ...endpoint,
      ]);
      // Live changes while it runs: one thing attribute every 2 s; each must arrive without waiting for the bootstrap.
      const lags: number[] = [];
      let running = true;
      void bootstrap.then(() => {
        running = false;
      });
      let liveChanges = 0;
      for (let change = 0; running; change += 1) {
        liveChanges += 1;
        const device = devices[change % devices.length];
        if (!device) break;
        const value = `live-${change}`;
        const changedAt = Date.now();
        await cloud
          .clients(PRIMARY)
          .iot.send(
            new UpdateThingCommand({ thingName: device.thingName, attributePayload: { attributes: { live: value }, merge: true } }),
          );
        void eventually(
          async () => {
            // A thing the bootstrap has not reached yet is created by the live change itself (its record is no longer a bulk load).
            const thing = await missing(cloud.clients(SECONDARY).iot.send(new DescribeThingCommand({ thingName: device.thingName })));
            return thing === "missing" ? undefined : thing.attributes?.["live"];
          },
          (seen) => seen === value,
          600_000,
        ).then(
          () => lags.push(Date.now() - changedAt),
          () => lags.push(Number.POSITIVE_INFINITY),
        );
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
      const outcome = await bootstrap;
      const bootstrapMs = Date.now() - started;
      // The live changes still in flight arrive (or time out) before their lag is read.
      await eventually(
        async () => lags.length,
        (count) => count >= liveChanges,
        600_000,
      );

      const report = (await (await fetch(`${cloud.aws.url}/_local/faults`)).json()) as { quotas: QuotaCounter[] };
      const rates = report.quotas
        .filter((quota) => quota.region === SECONDARY && quota.granted > quota.burst * 3 && quota.lastGrantedAt && quota.firstGrantedAt)
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
            // Pacing: at its quota the API's own calls fill at least half the time it was in use, so it set the pace there.
            pacing: quota.granted / quota.tps >= 0.5 * seconds,
          };
        });
      const sorted = [...lags].sort((a, b) => a - b);
      const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
      const sqs = cloud.clients(SECONDARY).sqs;
      const depth = async (queue: string) => {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: physicalId(cloud, SECONDARY, queue),
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
          }),
        );
        return ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"].reduce(
          (sum, name) => sum + Number(Attributes?.[name as keyof typeof Attributes] ?? 0),
          0,
        );
      };
      // Entities deferred while their dependency was missing are parked with a delay for the redrive; it empties the queue.
      await eventually(
        () => depth("ApplyDeadLetterQueue"),
        (left) => left === 0,
        600_000,
      ).catch(() => undefined);
      const deadLettered = { apply: await depth("ApplyDeadLetterQueue"), capture: await depth("CaptureDeadLetterQueue") };
      const result = {
        devices: DEVICES,
        bootstrapMs,
        share: SHARE,
        rates,
        liveChanges: lags.length,
        liveLagP99Ms: p99,
        deadLettered,
        summary: outcome.stdout.trim().split("\n").at(-1),
      };
      writeFileSync(join(__dirname, "..", "..", ".fleet-bootstrap-results.json"), JSON.stringify(result, null, 2));
      console.log(JSON.stringify(result, null, 2));

      // The SDK's warning that the snapshot queued writes for a socket is advice, not a failure.
      const stderr = outcome.stderr
        .split("\n")
        .filter(
          (line) =>
            line.trim() !== "" && !/socket usage at capacity|node-configuring-maxsockets|socketAcquisitionWarningTimeout/.test(line),
        );
      expect({ code: outcome.code, stderr }).toEqual({ code: 0, stderr: [] });
      expect(deadLettered).toEqual({ apply: 0, capture: 0 });
      const pacing = rates.filter((rate) => rate.pacing);
      expect(pacing.length).toBeGreaterThan(0);
      expect(pacing.filter((rate) => rate.ofQuota < 0.9)).toEqual([]);
      expect(rates.filter((rate) => rate.throttled > 0)).toEqual([]);
      expect(lags.every((lag) => Number.isFinite(lag))).toBe(true);
    },
    4 * 3_600_000,
  );
});
