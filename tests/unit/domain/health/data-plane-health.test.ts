import { errAsync, okAsync } from "neverthrow";
import { checkDataPlaneHealth, type ProbeShadow } from "../../../../src/domain/health/data-plane-health";
import { DependencyUnavailable } from "../../../../src/domain/shared/errors";

/** A probe shadow whose reads answer what the test says (another checker may have written in between). */
const shadow = (writtenVersion: number, read: { nonce: string | undefined; version: number }): ProbeShadow => ({
  write: () => okAsync(writtenVersion),
  read: () => okAsync(read),
});

const clock = () => 0;

describe("checkDataPlaneHealth", () => {
  it("passes when the read returns this probe's nonce", async () => {
    const report = await checkDataPlaneHealth(shadow(7, { nonce: "n1", version: 7 }), "eu-west-1", "n1", clock);
    expect(report).toEqual({
      healthy: true,
      region: "eu-west-1",
      steps: [
        { step: "write", ok: true, ms: 0 },
        { step: "read", ok: true, ms: 0 },
      ],
    });
  });

  it("passes when a concurrent checker wrote a later version before the read", async () => {
    const report = await checkDataPlaneHealth(shadow(7, { nonce: "other", version: 8 }), "eu-west-1", "n1", clock);
    expect(report.healthy).toBe(true);
  });

  it("fails when the read is older than the write: the data plane served stale state", async () => {
    const report = await checkDataPlaneHealth(shadow(7, { nonce: "old", version: 6 }), "eu-west-1", "n1", clock);
    expect(report.healthy).toBe(false);
    expect(report.failure).toBe('probe shadow read back stale: read version 6 (probe "old") is older than the write\'s version 7');
  });

  it("fails naming the write when the write fails, and does not read", async () => {
    let reads = 0;
    const probe: ProbeShadow = {
      write: () => errAsync(new DependencyUnavailable("AWS IoT data plane", "ThrottlingException: Rate exceeded")),
      read: () => {
        reads += 1;
        return okAsync({ nonce: undefined, version: 0 });
      },
    };
    const report = await checkDataPlaneHealth(probe, "us-east-1", "n1", clock);
    expect(report.failure).toBe("probe shadow write failed: DependencyUnavailable: ThrottlingException: Rate exceeded");
    expect(reads).toBe(0);
  });
});
