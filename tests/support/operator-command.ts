import { execFile } from "node:child_process";
import { join } from "node:path";
import { LOCAL_CREDENTIALS } from "local-cloud/testing";

const root = join(__dirname, "..", "..");

export interface CommandOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the operator commands (`src/cli/{name}.ts`) in a child process, as `npm run {name}`
 * would, with local credentials (asynchronously: the local endpoint lives in the test's process).
 */
export const runOperatorCommand = (name: string, args: readonly string[], env: Record<string, string> = {}): Promise<CommandOutcome> =>
  new Promise((resolve) => {
    const { accessKeyId, secretAccessKey } = LOCAL_CREDENTIALS;
    const childEnv = { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, ...env };
    execFile(
      join(root, "node_modules", ".bin", "tsx"),
      [join(root, "src", "cli", `${name}.ts`), ...args],
      { cwd: root, env: childEnv },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
