import { parseArgs } from "node:util";
import { err, ok, Result } from "neverthrow";

export const SYNC_USAGE = `usage: npm run sync:backfill -- --source-table <t> --source-region <r> --target-region <r> --state-table <t>
         [--target-table <t>] [--endpoint-url <url>] [--target-endpoint-url <url>] [--origin <name>]
         [--target-ak-parameter target_ak --target-sk-parameter target_sk] [--peer-state-table <t>]
         [--segments 4] [--rate 100] [--margin-seconds 120] [--checkpoint <file>] [--include a,b] [--exclude c]
       npm run sync:verify -- --source-table <t> --source-region <r> --target-region <r> [--target-table <t>]
         [--endpoint-url <url>] [--target-endpoint-url <url>] [--target-ak-parameter .. --target-sk-parameter ..]
         [--segments 4] [--include a,b] [--exclude c]`;

export interface SyncArguments {
  readonly sourceTable: string;
  readonly sourceRegion: string;
  readonly targetTable: string;
  readonly targetRegion: string;
  readonly endpointUrl: string | undefined;
  readonly targetEndpointUrl: string | undefined;
  readonly targetKeyParameters: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  readonly origin: string;
  readonly stateTable: string | undefined;
  readonly peerStateTable: string | undefined;
  readonly segments: number;
  /** Read capacity units per second the scan may consume, all segments together; 0: no limit. */
  readonly rate: number;
  readonly marginSeconds: number;
  readonly checkpointFile: string;
  readonly include: string[];
  readonly exclude: string[];
}

const OPTIONS = {
  "source-table": { type: "string" },
  "source-region": { type: "string" },
  "target-table": { type: "string" },
  "target-region": { type: "string" },
  "endpoint-url": { type: "string" },
  "target-endpoint-url": { type: "string" },
  "target-ak-parameter": { type: "string" },
  "target-sk-parameter": { type: "string" },
  origin: { type: "string" },
  "state-table": { type: "string" },
  "peer-state-table": { type: "string" },
  segments: { type: "string", default: "4" },
  rate: { type: "string", default: "100" },
  "margin-seconds": { type: "string", default: "120" },
  checkpoint: { type: "string" },
  include: { type: "string", default: "" },
  exclude: { type: "string", default: "" },
} as const;

const wholeNumber = (flag: string, raw: string, min: number, max: number): Result<number, string> => {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max
    ? ok(value)
    : err(`--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
};

const list = (raw: string): string[] =>
  raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");

/**
 * The sync commands' arguments, validated before anything runs: a missing table or region, an unknown
 * flag, a number that is not one, or half of a credential pair is one message naming the flag.
 */
export const parseSyncArguments = (
  argv: readonly string[],
  defaultRegion: string | undefined,
  needsState: boolean,
): Result<SyncArguments, string> => {
  const parsed = Result.fromThrowable(
    () => parseArgs({ args: [...argv], options: OPTIONS }).values,
    (thrown) => String((thrown as { message?: unknown }).message ?? thrown),
  )();
  if (parsed.isErr()) return err(parsed.error);
  const flags = parsed.value;
  const sourceTable = flags["source-table"];
  const sourceRegion = flags["source-region"] ?? defaultRegion;
  const targetRegion = flags["target-region"];
  if (!sourceTable) return err("--source-table is required");
  if (!sourceRegion) return err("--source-region is required (or AWS_REGION)");
  if (!targetRegion) return err("--target-region is required");
  if (needsState && !flags["state-table"]) return err("--state-table is required (the sync stack's SyncStateTableName output)");
  const ak = flags["target-ak-parameter"];
  const sk = flags["target-sk-parameter"];
  if ((ak === undefined) !== (sk === undefined)) return err("--target-ak-parameter and --target-sk-parameter go together");
  return Result.combine([
    wholeNumber("segments", flags.segments, 1, 1000),
    wholeNumber("rate", flags.rate, 0, 1_000_000),
    wholeNumber("margin-seconds", flags["margin-seconds"], 61, 86_400),
  ]).map(([segments, rate, marginSeconds]) => ({
    sourceTable,
    sourceRegion,
    targetTable: flags["target-table"] ?? sourceTable,
    targetRegion,
    endpointUrl: flags["endpoint-url"],
    targetEndpointUrl: flags["target-endpoint-url"] ?? flags["endpoint-url"],
    targetKeyParameters: ak !== undefined && sk !== undefined ? { accessKeyId: ak, secretAccessKey: sk } : undefined,
    origin: flags.origin ?? sourceRegion,
    stateTable: flags["state-table"],
    peerStateTable: flags["peer-state-table"],
    segments: segments as number,
    rate: rate as number,
    marginSeconds: marginSeconds as number,
    checkpointFile: flags.checkpoint ?? `.sync-backfill-${sourceTable}.json`,
    include: list(flags.include),
    exclude: list(flags.exclude),
  }));
};
