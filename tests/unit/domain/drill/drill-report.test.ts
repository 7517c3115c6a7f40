import { renderDrillReport, type StageOutcome, summarizeDrill } from "../../../../src/domain/drill/drill-report";

const arrived = (device: string, stage: StageOutcome["stage"], ms: number): StageOutcome => ({ device, stage, ms });
const everyStage = (device: string, ms: number): StageOutcome[] =>
  (["registry", "certificate", "shadows", "mqtts", "deletes"] as const).map((stage) => arrived(device, stage, ms));

describe("summarizeDrill", () => {
  it("passes when every device passed every stage, with p50/p99 per stage", () => {
    const report = summarizeDrill("us-east-1", "us-west-2", 2, [...everyStage("d0", 1000), ...everyStage("d1", 3000)]);
    expect(report.passed).toBe(true);
    expect(report.stages[0]).toEqual({ stage: "registry", passed: 2, p50Ms: 1000, p99Ms: 3000 });
    expect(renderDrillReport(report).at(-1)).toBe(
      "drill PASSED: 2 devices us-east-1 -> us-west-2; registry 2/2 p99 3.0 s, certificate 2/2 p99 3.0 s, shadows 2/2 p99 3.0 s, mqtts 2/2 p99 3.0 s, deletes 2/2 p99 3.0 s",
    );
  });

  it("fails, listing each device and stage that missed, and any problem of the run itself", () => {
    const outcomes = [
      ...everyStage("d0", 1000),
      { device: "run abc", stage: "deletes", ms: undefined, problem: "still in us-west-2: policy drill-abc" } as const,
    ];
    const report = summarizeDrill("us-east-1", "us-west-2", 1, outcomes);
    expect(report.passed).toBe(false);
    expect(renderDrillReport(report)).toContain("  missing: run abc deletes: still in us-west-2: policy drill-abc");
    expect(summarizeDrill("a-b-1", "a-b-2", 1, [{ device: "d0", stage: "mqtts", ms: undefined, problem: "refused" }]).passed).toBe(false);
  });
});
