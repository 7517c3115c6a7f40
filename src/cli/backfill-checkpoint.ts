import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { err, ok, type Result } from "neverthrow";
import { DependencyUnavailable } from "../domain/shared/errors";

/** What a backfill run saves after every page, so that running the same command again resumes there. */
export interface Checkpoint {
  readonly region: string;
  readonly snapshotStartedAt: number;
  readonly resumeToken: string | undefined;
}

const messageOf = (thrown: unknown): string => (thrown instanceof Error ? thrown.message : String(thrown));

const isCheckpoint = (value: unknown): value is Checkpoint => {
  if (typeof value !== "object" || value === null) return false;
  const { region, snapshotStartedAt, resumeToken } = value as Record<string, unknown>;
  const validToken = resumeToken === undefined || typeof resumeToken === "string";
  return typeof region === "string" && typeof snapshotStartedAt === "number" && validToken;
};

/** The checkpoint file a region's backfill left, if any; a file that is not one, or another region's, is an error. */
export const loadCheckpoint = (file: string, region: string): Result<Checkpoint | undefined, string> => {
  if (!existsSync(file)) return ok(undefined);
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file, "utf8"));
  } catch (thrown) {
    return err(`${file} is not a backfill checkpoint (${messageOf(thrown)}); delete it to start over`);
  }
  if (!isCheckpoint(saved)) return err(`${file} is not a backfill checkpoint; delete it to start over`);
  if (saved.region !== region) return err(`${file} belongs to region ${saved.region}, not ${region}`);
  return ok(saved);
};

/** Saves the checkpoint; a failed write stops the run (its progress could not be resumed otherwise). */
export const saveCheckpoint = (file: string, checkpoint: Checkpoint): Result<void, DependencyUnavailable> => {
  try {
    writeFileSync(file, JSON.stringify(checkpoint));
    return ok(undefined);
  } catch (thrown) {
    return err(new DependencyUnavailable(`checkpoint file ${file}`, `could not be written: ${messageOf(thrown)}`, thrown));
  }
};

export const checkpointExists = (file: string): boolean => existsSync(file);

export const removeCheckpoint = (file: string): void => rmSync(file, { force: true });
