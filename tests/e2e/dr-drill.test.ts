import { useLocalCloud } from "local-cloud/testing";
import { runOperatorCommand } from "../support/operator-command";
import { disasterRecovery, PRIMARY, SECONDARY } from "./support/disaster-recovery";

/**
 * `npm run drill -- --devices 20` on the local cloud, the real command in a child process: 20 devices
 * provisioned in the primary arrive in the secondary (registry and shadows by the capture path,
 * certificates, policies and attachments by the sweep the drill runs itself), each connects to the
 * secondary's broker over mutual TLS with its own certificate, and their deletes arrive.
 */
const local = useLocalCloud();
const { enableRegistryEvents } = disasterRecovery(local.cloud);

beforeAll(enableRegistryEvents);

describe("npm run drill on the local cloud", () => {
  it(`passes with 20 devices, ${PRIMARY} -> ${SECONDARY}, and ends with one summary line`, async () => {
    const outcome = await runOperatorCommand("drill", ["--devices", "20", "--timeout", "300", "--endpoint-url", local.cloud().aws.url]);
    const lines = outcome.stdout.trim().split("\n");
    expect({ code: outcome.code, stderr: outcome.stderr, missing: lines.filter((line) => line.includes("missing:")) }).toEqual({
      code: 0,
      stderr: "",
      missing: [],
    });
    expect(lines.some((line) => /^mqtts: 20\/20 round trips on localhost:\d+$/.test(line))).toBe(true);
    expect(lines.some((line) => /^swept us-east-1 in \d+ ms \(\d+ invocations? of SweepRegistryFunction\)$/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^drill PASSED: 20 devices us-east-1 -> us-west-2; registry 20\/20 p99 [\d.]+ s, certificate 20\/20 p99 [\d.]+ s, shadows 20\/20 p99 [\d.]+ s, mqtts 20\/20 p99 [\d.]+ s, deletes 20\/20 p99 [\d.]+ s$/,
    );
  }, 900_000);
});
