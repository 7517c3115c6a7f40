import { type ParseArgsConfig, parseArgs } from "node:util";
import { err, ok, Result } from "neverthrow";

/**
 * What the DR operator commands (verify, status, failover, drill) validate the same way: region
 * names, table names, endpoint URLs and whole numbers, each refused with one line naming the flag.
 */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export const DEFAULT_TABLE = "IoTFleetRegistryReplica";
export const DEFAULT_STACK = "iot-fleet-replicator";

/** parseArgs throws a TypeError naming the flag (an unknown one, a missing value): that message, as a Result. */
export const parseFlags = <T extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: T) =>
  Result.fromThrowable(
    () => parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values,
    (thrown) => String((thrown as { message?: unknown }).message ?? thrown),
  )();

export const region = (flag: string, value: string | undefined): Result<string, string> => {
  if (value === undefined) return err(`--${flag} is required`);
  return REGION.test(value) ? ok(value) : err(`--${flag} must be an AWS region name such as us-east-1, got ${JSON.stringify(value)}`);
};

export const tableName = (value: string): Result<string, string> =>
  TABLE_NAME.test(value)
    ? ok(value)
    : err(`--table must be 3 to 255 of a-z, A-Z, 0-9, '_', '-', '.' (a DynamoDB table name), got ${JSON.stringify(value)}`);

export const endpointUrl = (value: string | undefined): Result<string | undefined, string> =>
  value === undefined || URL.canParse(value)
    ? ok(value)
    : err(`--endpoint-url must be a URL such as http://127.0.0.1:4566, got ${JSON.stringify(value)}`);

export const wholeNumber = (flag: string, raw: string, min: number, max: number): Result<number, string> => {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max
    ? ok(value)
    : err(`--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
};

/** SDK client configuration for one region, through the endpoint override when one is given (the local cloud). */
export const clientConfig = (forRegion: string, endpoint: string | undefined) => ({ region: forRegion, ...(endpoint ? { endpoint } : {}) });

/** Runs a command's main and sets the exit code; an unexpected throw is one line on stderr and exit 1. */
export const runCommand = (name: string, main: () => Promise<number>): void => {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (thrown: unknown) => {
      console.error(`${name} failed: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`);
      process.exitCode = 1;
    },
  );
};
