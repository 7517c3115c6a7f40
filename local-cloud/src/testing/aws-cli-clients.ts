import { execFile, execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { credentialsFor, type LocalKeyPair } from "../endpoint/partition-credentials";
import { partitionOf } from "../endpoint/partitions";

const run = promisify(execFile);

/** One installed AWS CLI: the Python CLI v1 (PyPI `awscli`) or v2 (Debian's `apt-get install awscli`). */
export interface AwsCli {
  /** `AWS CLI v1` or `AWS CLI v2`: test names carry it. */
  readonly name: string;
  readonly major: 1 | 2;
  readonly path: string;
  /** First line of `aws --version`. */
  readonly version: string;
  /**
   * Arguments that make a blob parameter (`iot-data update-thing-shadow --payload`) take raw text: v2
   * reads blobs as base64 unless told otherwise, v1 reads them raw and knows no such option.
   */
  readonly rawBlobArgs: readonly string[];
}

/** A generation of the AWS CLI that this machine lacks, and where it was looked for. */
export interface AbsentAwsCli {
  readonly name: string;
  readonly reason: string;
}

/** Debian's package installs v2 here; scripts/ensure-deps.sh (npm test) installs it when it can. */
const DEBIAN_AWS_CLI = "/usr/bin/aws";

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const versionOf = (path: string): string | undefined => {
  try {
    return execFileSync(path, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
      .split("\n")[0]
      ?.trim();
  } catch {
    return undefined;
  }
};

/**
 * Every generation of the AWS CLI on this machine, told apart by `aws --version` (`aws-cli/1.x` or
 * `aws-cli/2.x`): the first `aws` of each generation on PATH (scripts/with-tools.sh puts the project's
 * v1 first), then Debian's v2 at /usr/bin/aws. Synchronous, so a test file can declare one suite per
 * CLI and a skipped test naming each CLI that is absent.
 */
export const findAwsClis = (): { present: AwsCli[]; absent: AbsentAwsCli[] } => {
  const candidates = [
    ...(process.env["PATH"] ?? "")
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, "aws")),
    DEBIAN_AWS_CLI,
  ];
  const found = new Map<1 | 2, AwsCli>();
  for (const path of new Set(candidates)) {
    if (found.size === 2) break;
    if (!isExecutable(path)) continue;
    const version = versionOf(path);
    const major = /^aws-cli\/([12])\./.exec(version ?? "")?.[1];
    if (!version || !major) continue;
    const generation = Number(major) as 1 | 2;
    if (found.has(generation)) continue;
    found.set(generation, {
      name: `AWS CLI v${generation}`,
      major: generation,
      path,
      version,
      rawBlobArgs: generation === 2 ? ["--cli-binary-format", "raw-in-base64-out"] : [],
    });
  }
  const absent: AbsentAwsCli[] = [];
  if (!found.has(1)) absent.push({ name: "AWS CLI v1", reason: "no aws-cli/1.x on PATH (npm test installs it with the Python tools)" });
  if (!found.has(2)) {
    absent.push({
      name: "AWS CLI v2",
      reason: `no aws-cli/2.x on PATH or at ${DEBIAN_AWS_CLI} (npm test installs it with apt-get as root)`,
    });
  }
  return { present: [...found.values()].sort((a, b) => a.major - b.major), absent };
};

/** A PATH on which `aws` is `cli`: for scripts that call `aws` by name (the README's quick start). */
export const pathWithAwsCli = (cli: AwsCli, path = process.env["PATH"] ?? ""): string => [dirname(cli.path), path].join(delimiter);

/** The key pair a CLI signs with in the `aws` partition; another partition's regions take its own (`partition-credentials.ts`). */
const CLI_CREDENTIALS: LocalKeyPair = { accessKeyId: "cli", secretAccessKey: "cli" };

/** The environment a CLI runs in: fixed credentials, no user config or pager. */
const awsCliEnvironment = (cli: AwsCli, credentials: LocalKeyPair, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv => ({
  ...base,
  PATH: pathWithAwsCli(cli, base["PATH"]),
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_PAGER: "",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
});

/**
 * Runs one CLI against the local endpoint; each call answers JSON (or nothing), and fails with the
 * CLI's own error line. It signs with `credentials`, by default a key of the region's partition.
 */
export const awsCliRunner = (
  cli: AwsCli,
  endpointUrl: () => string,
  region = "us-east-1",
  credentials: LocalKeyPair = partitionOf(region) === "aws" ? CLI_CREDENTIALS : credentialsFor(region),
) => {
  const call = (args: readonly string[]) =>
    run(cli.path, [...args, "--endpoint-url", endpointUrl(), "--region", region, "--output", "json"], {
      env: awsCliEnvironment(cli, credentials),
    });
  return {
    /** The parsed JSON answer (`{}` when the command prints nothing). */
    json: async <T = Record<string, unknown>>(...args: string[]): Promise<T> => {
      const { stdout } = await call(args);
      return (stdout.trim() ? JSON.parse(stdout) : {}) as T;
    },
    /** The error line a failing command prints (`An error occurred (Code) when calling the Op operation: ...`). */
    error: async (...args: string[]): Promise<string> => {
      try {
        await call(args);
      } catch (failed) {
        return String((failed as { stderr?: string }).stderr ?? failed).trim();
      }
      throw new Error(`expected \`aws ${args.join(" ")}\` to fail with ${cli.name}`);
    },
  };
};
