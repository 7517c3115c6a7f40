import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { err, ok, type Result } from "neverthrow";

/**
 * What a sync backfill saves after every page: when its scan started (the stamp of every copy) and
 * where each segment stands (its next page's start, or done), so the same command resumes there.
 */
export interface SyncCheckpoint {
  readonly sourceTable: string;
  readonly scanStartedAt: number;
  readonly segments: (string | null | "done")[];
}

const isCheckpoint = (value: unknown): value is SyncCheckpoint => {
  if (typeof value !== "object" || value === null) return false;
  const { sourceTable, scanStartedAt, segments } = value as Record<string, unknown>;
  return typeof sourceTable === "string" && typeof scanStartedAt === "number" && Array.isArray(segments);
};

export const loadSyncCheckpoint = (file: string, sourceTable: string, segments: number): Result<SyncCheckpoint | undefined, string> => {
  if (!existsSync(file)) return ok(undefined);
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, "utf8"));
  } catch (thrown) {
    return err(`${file} is not a sync backfill checkpoint (${(thrown as Error).message}); delete it to start over`);
  }
  if (!isCheckpoint(saved)) return err(`${file} is not a sync backfill checkpoint; delete it to start over`);
  if (saved.sourceTable !== sourceTable) return err(`${file} belongs to table ${saved.sourceTable}, not ${sourceTable}`);
  if (saved.segments.length !== segments) return err(`${file} was made with --segments ${saved.segments.length}: use that, or delete it`);
  return ok(saved);
};

export const saveSyncCheckpoint = (file: string, checkpoint: SyncCheckpoint): void => writeFileSync(file, JSON.stringify(checkpoint));

export const removeSyncCheckpoint = (file: string): void => rmSync(file, { force: true });
