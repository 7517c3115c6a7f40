import { IoTClient, ListCertificatesCommand, ListThingsCommand } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import { LOCAL_CREDENTIALS, useLocalAws } from "local-cloud/testing";
import {
  certificateArrived,
  type DrillDevice,
  deleteDevice,
  deleteRun,
  deletesArrived,
  drillRun,
  policyCreator,
  provisionDevice,
  provisionRun,
  registryArrived,
  runLeftovers,
  shadowsArrived,
} from "../../../src/cli/drill-fleet";
import { locateBroker, mqttsRoundTrip } from "../../../src/cli/drill-mqtt";
import { runOperatorCommand } from "../../support/operator-command";

const aws = useLocalAws(["us-east-1", "us-west-2"]);
const clients = (region: string) => ({
  iot: new IoTClient({ region, endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS }),
  data: new IoTDataPlaneClient({ region, endpoint: aws.local().url, credentials: LOCAL_CREDENTIALS }),
});

/**
 * The drill's parts against one region of the local cloud (what works before the sweep and the applier
 * land): what it provisions passes its own arrival checks when read back from the same region, each
 * device connects to that region's broker over mutual TLS with its own certificate, and the cleanup
 * leaves nothing behind. The whole drill, primary to secondary, runs once both have merged.
 */
describe("the drill's provisioning, mutual-TLS round trip and cleanup", () => {
  it("provisions devices that pass every arrival check, connect with their own certificate, and are deleted without a trace", async () => {
    const { iot, data } = clients("us-east-1");
    const run = drillRun("parts");
    await provisionRun(iot, run);
    const ensurePolicy = policyCreator(iot, run);
    const devices: DrillDevice[] = [];
    for (const index of [0, 1]) devices.push(await provisionDevice(iot, data, run, index, ensurePolicy));

    for (const device of devices) {
      expect(await registryArrived(iot, data, run, device)).toBeUndefined();
      expect(await certificateArrived(iot, data, run, device)).toBeUndefined();
      expect(await shadowsArrived(iot, data, run, device)).toBeUndefined();
      expect(await deletesArrived(iot, data, run, device)).toBe("thing still there");
    }

    const broker = await locateBroker(iot, "us-east-1", aws.local().url);
    expect(broker.host).toBe("localhost");
    for (const device of devices)
      expect(await mqttsRoundTrip(broker, device, `${run.topicPrefix}/${device.thingName}`)).toBeGreaterThanOrEqual(0);
    // The policy lets a device use only its own topic: another device's is refused.
    const [first, second] = devices as [DrillDevice, DrillDevice];
    // (refused with SUBACK 0x80, or the connection closed, as the broker answers an unauthorized subscribe)
    await expect(mqttsRoundTrip(broker, first, `${run.topicPrefix}/${second.thingName}`, 5000)).rejects.toThrow(/refused|closed/);

    for (const device of devices) await deleteDevice(iot, data, run, device);
    await deleteRun(iot, run);
    for (const device of devices) expect(await deletesArrived(iot, data, run, device)).toBeUndefined();
    expect(await runLeftovers(iot, run)).toEqual([]);
    const things = await iot.send(new ListThingsCommand({}));
    expect((things.things ?? []).filter((thing) => thing.thingName?.startsWith("drill-parts-"))).toEqual([]);
    const certificates = await iot.send(new ListCertificatesCommand({}));
    expect(
      (certificates.certificates ?? []).filter((certificate) =>
        devices.some((device) => device.certificateId === certificate.certificateId),
      ),
    ).toEqual([]);
  }, 60_000);
});

describe("npm run drill", () => {
  it("reports what never arrived in the secondary, exits 1, ends with one summary line and cleans the primary", async () => {
    const outcome = await runOperatorCommand("drill", [
      "--devices",
      "2",
      "--timeout",
      "2",
      "--no-sweep-now",
      "--endpoint-url",
      aws.local().url,
    ]);
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(1);
    const lines = outcome.stdout.trim().split("\n");
    expect(lines).toContain("registry: 0/2 arrived");
    expect(
      lines.some(
        (line) => /^ {2}missing: drill-[0-9a-f]{8}-0 registry: ResourceNotFoundException/.test(line) || line.includes("missing: drill-"),
      ),
    ).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^drill FAILED: 2 devices us-east-1 -> us-west-2; registry 0\/2 p99 -, certificate 0\/2 p99 -, shadows 0\/2 p99 -, mqtts 0\/2 p99 -, deletes 0\/2 p99 -$/,
    );
    const { iot } = clients("us-east-1");
    const things = await iot.send(new ListThingsCommand({}));
    expect((things.things ?? []).filter((thing) => /^drill-[0-9a-f]{8}-/.test(thing.thingName ?? ""))).toEqual([]);
  }, 120_000);

  it("deletes what it provisioned in the primary when it cannot go on (a secondary without a broker)", async () => {
    const outcome = await runOperatorCommand("drill", [
      "--devices",
      "2",
      "--timeout",
      "1",
      "--no-sweep-now",
      "--secondary",
      "eu-west-1",
      "--endpoint-url",
      aws.local().url,
    ]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /^drill [0-9a-f]{8} stopped: Error: the local cloud at .* runs no mqtts broker for eu-west-1; deleting what it provisioned\n$/,
    );
    expect(outcome.stdout).toContain("deleted 2 devices in us-east-1");
    const { iot } = clients("us-east-1");
    const things = await iot.send(new ListThingsCommand({}));
    expect((things.things ?? []).filter((thing) => /^drill-[0-9a-f]{8}-/.test(thing.thingName ?? ""))).toEqual([]);
  }, 120_000);

  it("refuses bad arguments with one line and exit 2", async () => {
    const outcome = await runOperatorCommand("drill", ["--devices", "0"]);
    expect([outcome.code, outcome.stderr.split("\n")[0]]).toEqual([2, 'drill: --devices must be a whole number from 1 to 1000, got "0"']);
  }, 60_000);
});
