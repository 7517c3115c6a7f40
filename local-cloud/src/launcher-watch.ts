import { execFileSync } from "node:child_process";

interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** The program's name (`node`, `npm`, `sh`, `bash`, ...). */
  readonly comm: string;
}

/** A process's parent, process group and program name, as `ps` reports them (Linux and macOS alike). */
const processEntry = (pid: number): ProcessEntry | undefined => {
  try {
    const [ppid, pgid, comm] = execFileSync("ps", ["-o", "ppid=,pgid=,comm=", "-p", String(pid)], { encoding: "utf8" })
      .trim()
      .split(/\s+/);
    return ppid && pgid && comm ? { pid, ppid: Number(ppid), pgid: Number(pgid), comm: comm.split("/").pop() ?? comm } : undefined;
  } catch {
    return undefined;
  }
};

const NODE_LAUNCHERS = new Set(["node", "npm", "npx", "tsx"]);
const SHELLS = new Set(["sh", "dash", "bash"]);

/**
 * The processes that launched this one as one command: the parent, and above it the chain of npm,
 * npx, tsx (node programs all) and the `sh -c` npm runs a script with, within this process's group.
 * `npm start` is npm, then `sh -c` (or not, when the script execs), then tsx, then this node process;
 * when any of them goes (killed, its terminal closed) the command is over, even though nobody
 * forwarded a signal to us. The shell the user typed the command in is not one of them: a script
 * that runs `npm start &` and exits leaves it running, as it would any other program.
 */
export const launcherPids = (): number[] => {
  const own = processEntry(process.pid);
  if (!own) return [];
  const pids = [own.ppid];
  let current = processEntry(own.ppid);
  for (let depth = 0; current && depth < 16; depth += 1) {
    const above = processEntry(current.ppid);
    if (!above || above.pid <= 1 || above.pgid !== own.pgid) break;
    const startedByNode = (): boolean => NODE_LAUNCHERS.has(processEntry(above.ppid)?.comm ?? "");
    if (!NODE_LAUNCHERS.has(above.comm) && !(SHELLS.has(above.comm) && startedByNode())) break;
    pids.push(above.pid);
    current = above;
  }
  return pids.filter((pid) => pid > 1);
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Calls `onGone` once when a launcher (see launcherPids) has died or this process has been handed to
 * another parent. Polls once a second on an unref'd timer: it never keeps the process alive itself.
 */
export const watchLaunchers = (onGone: (pid: number) => void, intervalMs = 1000): (() => void) => {
  const parent = process.ppid;
  const launchers = launcherPids();
  const timer = setInterval(() => {
    const gone = process.ppid !== parent ? parent : launchers.find((pid) => !isAlive(pid));
    if (gone === undefined) return;
    clearInterval(timer);
    onGone(gone);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};
