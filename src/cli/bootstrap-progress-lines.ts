import { type BootstrapJob, estimateBootstrap, recordsDone } from "../domain/recovery/bootstrap-plan";

const duration = (seconds: number): string => {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, "0")}m`;
};

/** A bootstrap's progress for people: one summary line with rate and ETA, then a line per kind. */
export const bootstrapLines = (region: string, job: BootstrapJob, now: number): string[] => {
  const estimate = estimateBootstrap(job, now);
  const percent = estimate.total === 0 ? 100 : (100 * estimate.done) / estimate.total;
  const state =
    job.finishedAt !== undefined
      ? `finished in ${duration((job.finishedAt - job.startedAt) / 1000)}`
      : `ETA ${estimate.etaSeconds === undefined ? "unknown (nothing done yet)" : duration(estimate.etaSeconds)}`;
  return [
    `bootstrap of ${region} from ${job.primaryRegion}: ${estimate.done}/${estimate.total} records (${percent.toFixed(1)}%), ${estimate.ratePerSecond.toFixed(1)} records/s, ${state}`,
    ...job.kinds.map(
      (kind) =>
        `  ${kind.entityType}: ${recordsDone(kind)}/${kind.total}${kind.done ? " done" : ""} (${kind.applied} applied, ${kind.unchanged} unchanged, ${kind.parked} parked)`,
    ),
  ];
};
