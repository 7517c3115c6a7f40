import { percentile } from "../verification/replication-status";

/**
 * What the DR drill measures per device, stage by stage: when the secondary showed what the primary
 * was given (registry: thing, type, attributes, group; certificate: certificate, policy and both
 * attachments; shadows: classic and named), whether the device connected to the secondary's broker
 * with its own certificate and got its own message back, and when its deletes arrived.
 */
export const DRILL_STAGES = ["registry", "certificate", "shadows", "mqtts", "deletes"] as const;
export type DrillStage = (typeof DRILL_STAGES)[number];

export interface StageOutcome {
  readonly device: string;
  readonly stage: DrillStage;
  /** Milliseconds from the primary change to the secondary showing it (mqtts: connect to message back); undefined: never. */
  readonly ms: number | undefined;
  /** Why it is missing or wrong (the last thing the secondary said), when it is. */
  readonly problem?: string;
}

export interface StageSummary {
  readonly stage: DrillStage;
  readonly passed: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
}

export interface DrillReport {
  readonly devices: number;
  readonly primary: string;
  readonly secondary: string;
  readonly stages: readonly StageSummary[];
  readonly problems: readonly StageOutcome[];
  readonly passed: boolean;
}

export const summarizeDrill = (primary: string, secondary: string, devices: number, outcomes: readonly StageOutcome[]): DrillReport => {
  const stages = DRILL_STAGES.map((stage) => {
    const times = outcomes
      .filter((outcome) => outcome.stage === stage && outcome.ms !== undefined && outcome.problem === undefined)
      .map((outcome) => outcome.ms as number)
      .sort((a, b) => a - b);
    return { stage, passed: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
  });
  const problems = outcomes.filter((outcome) => outcome.ms === undefined || outcome.problem !== undefined);
  return {
    devices,
    primary,
    secondary,
    stages,
    problems,
    passed: devices > 0 && problems.length === 0 && stages.every((stage) => stage.passed === devices),
  };
};

const seconds = (ms: number | undefined): string => (ms === undefined ? "-" : `${(ms / 1000).toFixed(1)} s`);

/** The report for people: one line per stage, one per problem, and the summary line last. */
export const renderDrillReport = (report: DrillReport): string[] => [
  ...report.stages.map(
    (stage) =>
      `  ${stage.stage.padEnd(11)} ${String(stage.passed).padStart(4)}/${report.devices}  p50 ${seconds(stage.p50Ms)}  p99 ${seconds(stage.p99Ms)}`,
  ),
  ...report.problems.map((problem) => `  missing: ${problem.device} ${problem.stage}${problem.problem ? `: ${problem.problem}` : ""}`),
  `drill ${report.passed ? "PASSED" : "FAILED"}: ${report.devices} devices ${report.primary} -> ${report.secondary}; ${report.stages
    .map((stage) => `${stage.stage} ${stage.passed}/${report.devices} p99 ${seconds(stage.p99Ms)}`)
    .join(", ")}`,
];
