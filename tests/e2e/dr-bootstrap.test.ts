import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeCertificateCommand } from "@aws-sdk/client-iot";
import { eventually, useLocalCloud } from "local-cloud/testing";
import { runOperatorCommand } from "../support/operator-command";
import { provisionFleet } from "./support/bootstrap-fleet";
import { missing, PRIMARY, SECONDARY, WAIT_MS } from "./support/disaster-recovery";

/**
 * `npm run bootstrap` on the local cloud: a fleet that existed in the primary before registry events
 * were on (so nothing of it was captured) reaches the secondary through the bootstrap alone. Its
 * snapshot is marked as a bulk load, so the other secondary's stream applier leaves it alone; the
 * secondary's BootstrapSecondaryFunction applies it wave by wave; status shows it finished; and
 * `verify --live` finds the two regions in sync.
 */
const local = useLocalCloud();
const OTHER_SECONDARY = "eu-west-1";
const DEVICES = 10;

describe("npm run bootstrap on the local cloud", () => {
  it(`brings ${DEVICES} devices that predate capture from ${PRIMARY} to ${SECONDARY}, and only there`, async () => {
    const devices = await provisionFleet(local.cloud(), "boot", DEVICES);
    const endpoint = ["--endpoint-url", local.cloud().aws.url];
    const bootstrap = await runOperatorCommand("bootstrap", ["--primary", PRIMARY, "--secondary", SECONDARY, "--shadows", ...endpoint]);
    const lines = bootstrap.stdout.trim().split("\n");
    expect({ code: bootstrap.code, stderr: bootstrap.stderr }).toEqual({ code: 0, stderr: "" });
    expect(lines.at(-1)).toMatch(
      new RegExp(`^bootstrap of ${SECONDARY} from ${PRIMARY}: (\\d+)/\\1 records \\(100\\.0%\\), [\\d.]+ records/s, finished in \\d+`),
    );

    const status = await runOperatorCommand("status", ["--primary", PRIMARY, "--secondary", SECONDARY, ...endpoint]);
    expect(status.stdout).toMatch(/bootstrap of us-west-2 from us-east-1: .* finished in/);
    // Some things may be applied before their wave, as the dependency of a shadow the primary captured live.
    expect(status.stdout).toMatch(/ {2}thing: 10\/10 done \(\d+ applied, \d+ unchanged, 0 parked\)/);
    expect(status.stdout).toMatch(/ {2}certificate: 10\/10 done \(10 applied, 0 unchanged, 0 parked\)/);

    const verify = () => runOperatorCommand("verify", ["--primary", PRIMARY, "--secondary", SECONDARY, "--live", ...endpoint]);
    const verified = await eventually(verify, (result) => result.code === 0, WAIT_MS);
    expect(verified.stdout.trim().split("\n").at(-1)).toMatch(
      new RegExp(`^IN SYNC: \\d+ entities match between ${PRIMARY} and ${SECONDARY}$`),
    );

    // The schedule's next run (events/bootstrap-scheduled.json, as `npm run invoke` sends it) finds the job finished.
    const sample = JSON.parse(readFileSync(join(__dirname, "..", "..", "events", "bootstrap-scheduled.json"), "utf8")) as unknown;
    const rerun = await local.cloud().regions.get(SECONDARY)?.functions.get("BootstrapSecondaryFunction")?.invoke(sample);
    expect(rerun?.ok && rerun.result).toEqual({ status: "finished" });

    // The bulk load went to the bootstrapped region only: the other secondary's stream applier skipped it. (A
    // thing may still reach eu-west-1 as the dependency of a shadow the primary captured live; its certificate cannot.)
    const elsewhere = await missing(
      local
        .cloud()
        .clients(OTHER_SECONDARY)
        .iot.send(new DescribeCertificateCommand({ certificateId: devices[0]?.certificateId })),
    );
    expect(elsewhere).toBe("missing");
  }, 600_000);
});
