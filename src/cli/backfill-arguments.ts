import { parseArgs } from "node:util";
import { err, ok, Result } from "neverthrow";

export const BACKFILL_USAGE = `usage: npm run backfill -- --region <region> [--table IoTFleetRegistryReplica] [--checkpoint <file>]
       [--endpoint-url http://127.0.0.1:4566] [--page-size 100] [--tombstone-ttl-days 30] [--shadows]`;

export interface BackfillArguments {
  readonly region: string;
  readonly table: string;
  readonly checkpointFile: string;
  readonly endpointUrl: string | undefined;
  /** Items per list call: the registry's list APIs take 1 to 250. */
  readonly pageSize: number;
  readonly tombstoneTtlDays: number;
  /** Also list every thing's classic and named shadows (2 + N data-plane calls per thing). */
  readonly shadows: boolean;
}

/** A whole number within bounds, or a message that names the flag and what it got. */
const wholeNumber = (flag: string, raw: string, min: number, max: number): Result<number, string> => {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max
    ? ok(value)
    : err(`--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
};

/** AWS region names (`us-east-1`, `cn-northwest-1`, `us-gov-west-1`) and DynamoDB table names. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * The backfill command's arguments, validated before anything runs: an unknown flag, a missing
 * region or a page size that is not a number is a message naming the flag, never a NaN passed on.
 */
const BACKFILL_OPTIONS = {
  region: { type: "string" },
  table: { type: "string", default: "IoTFleetRegistryReplica" },
  checkpoint: { type: "string" },
  "endpoint-url": { type: "string" },
  "page-size": { type: "string", default: "100" },
  "tombstone-ttl-days": { type: "string", default: "30" },
  shadows: { type: "boolean", default: false },
} as const;

/** parseArgs throws a TypeError naming the flag (an unknown one, a missing value): that message, as a Result. */
const parseFlags = (argv: readonly string[]) =>
  Result.fromThrowable(
    () => parseArgs({ args: [...argv], options: BACKFILL_OPTIONS }).values,
    (thrown) => String((thrown as { message?: unknown }).message ?? thrown),
  )();

export const parseBackfillArguments = (
  argv: readonly string[],
  environmentRegion: string | undefined,
): Result<BackfillArguments, string> => {
  const parsed = parseFlags(argv);
  if (parsed.isErr()) return err(parsed.error);
  const values = parsed.value;
  const region = values.region ?? environmentRegion;
  if (!region) return err("--region (or AWS_REGION) is required");
  if (!REGION.test(region)) return err(`--region must be an AWS region name such as us-east-1, got ${JSON.stringify(region)}`);
  if (!TABLE_NAME.test(values.table))
    return err(`--table must be 3 to 255 of a-z, A-Z, 0-9, '_', '-', '.' (a DynamoDB table name), got ${JSON.stringify(values.table)}`);
  if (values.checkpoint !== undefined && (values.checkpoint.trim() === "" || values.checkpoint.includes("\u0000")))
    return err(`--checkpoint must be a file path, got ${JSON.stringify(values.checkpoint)}`);
  const endpointUrl = values["endpoint-url"];
  if (endpointUrl !== undefined && !URL.canParse(endpointUrl))
    return err(`--endpoint-url must be a URL such as http://127.0.0.1:4566, got ${JSON.stringify(endpointUrl)}`);
  return wholeNumber("page-size", values["page-size"], 1, 250).andThen((pageSize) =>
    wholeNumber("tombstone-ttl-days", values["tombstone-ttl-days"], 1, 3650).map((tombstoneTtlDays) => ({
      region,
      table: values.table,
      checkpointFile: values.checkpoint ?? `.backfill-${region}.json`,
      endpointUrl,
      pageSize,
      tombstoneTtlDays,
      shadows: values.shadows,
    })),
  );
};
