/** Runs the local cloud's commands as a user does (npm, tsx) and looks at what they leave behind. */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";

export const PROJECT_ROOT = join(__dirname, "..", "..", "..");
export const TSX = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

export interface RunningCommand {
  readonly child: ChildProcessWithoutNullStreams;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the command exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>;
}

const started = new Set<ChildProcessWithoutNullStreams>();
/** For afterAll: whatever a failed test left running. */
export const killStartedCommands = (): void => {
  for (const child of started) child.kill("SIGKILL");
};

export const runCommand = (command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCommand => {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: "pipe" });
  started.add(child);
  let output = "";
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      started.delete(child);
      resolve(code);
    }),
  );
  const waitFor = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(output);
        if (!match) return;
        waiters.delete(check);
        resolve(match);
      };
      waiters.add(check);
      check();
      void exited.then(() => {
        if (waiters.delete(check)) reject(new Error(`exited before printing ${pattern}: ${output}`));
      });
    });
  return { child, output: () => output, waitFor, exited };
};

/** Every process below `pid` (children, grandchildren, ...), from `ps`. */
export const descendantsOf = (pid: number): number[] => {
  const table = execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [child, ppid] of table)
      if (ppid === parent) {
        found.push(child);
        visit(child);
      }
  };
  visit(pid);
  return found;
};

/** The command line of a process, or undefined once it is gone. */
export const commandLineOf = (pid: number): string | undefined => {
  try {
    return execFileSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
};

export const isListening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
