import type { ResultAsync } from "neverthrow";
import { type DomainError, describeError } from "../shared/errors";

/**
 * The one probe a region's health check makes: write a nonce into a probe shadow, then read the
 * shadow back. Both halves go through the region's IoT data plane (the Device Shadow service on the
 * iot:Data-ATS endpoint that devices use), so a pass proves the data plane accepts and serves state;
 * the two shadow actions are all it needs (no publish, no registry access).
 */
export interface ProbeShadow {
  /** Writes `reported.probe = nonce`; answers the shadow version the write produced. */
  write(nonce: string): ResultAsync<number, DomainError>;
  /** Reads the probe shadow: its `reported.probe` (undefined when absent) and version. */
  read(): ResultAsync<{ readonly nonce: string | undefined; readonly version: number }, DomainError>;
}

export interface HealthStep {
  readonly step: "write" | "read";
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

export interface HealthReport {
  readonly healthy: boolean;
  readonly region: string;
  readonly steps: readonly HealthStep[];
  /** What failed, in one line; absent when healthy. */
  readonly failure?: string;
}

/** The probe shadow's thing and shadow names: reserved, and left out of registry capture by the shadow topic rule. */
export const PROBE_THING_NAME = "iot-fleet-replicator-health-probe";
export const PROBE_SHADOW_NAME = "probe";

/**
 * Runs the probe. Route 53 health checkers call from many places at once, so another check may write
 * between this one's write and read: a read of this nonce, or of any version at or after this write's,
 * proves the round trip; an older version means the data plane served stale state.
 */
export const checkDataPlaneHealth = async (
  probe: ProbeShadow,
  region: string,
  nonce: string,
  clock: () => number,
): Promise<HealthReport> => {
  const writeStart = clock();
  const written = await probe.write(nonce);
  const writeStep: HealthStep = written.isOk()
    ? { step: "write", ok: true, ms: clock() - writeStart }
    : { step: "write", ok: false, ms: clock() - writeStart, error: describeError(written.error) };
  if (written.isErr()) return { healthy: false, region, steps: [writeStep], failure: `probe shadow write failed: ${writeStep.error}` };

  const readStart = clock();
  const read = await probe.read();
  const ms = clock() - readStart;
  if (read.isErr()) {
    const error = describeError(read.error);
    return {
      healthy: false,
      region,
      steps: [writeStep, { step: "read", ok: false, ms, error }],
      failure: `probe shadow read failed: ${error}`,
    };
  }
  const { nonce: seen, version } = read.value;
  if (seen !== nonce && version < written.value) {
    const error = `read version ${version} (probe ${JSON.stringify(seen)}) is older than the write's version ${written.value}`;
    return {
      healthy: false,
      region,
      steps: [writeStep, { step: "read", ok: false, ms, error }],
      failure: `probe shadow read back stale: ${error}`,
    };
  }
  return { healthy: true, region, steps: [writeStep, { step: "read", ok: true, ms }] };
};
