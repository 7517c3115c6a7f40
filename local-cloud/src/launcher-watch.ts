import { execFileSync } from "node:child_process";

/** A process's parent and process group, as `ps` reports them (Linux and macOS alike). */
const parentAndGroup = (pid: number): { ppid: number; pgid: number } | undefined => {
  try {
    const [ppid, pgid] = execFileSync("ps", ["-o", "ppid=,pgid=", "-p", String(pid)], { encoding: "utf8" })
      .trim()
      .split(/\s+/)
      .map(Number);
    return ppid !== undefined && pgid !== undefined && ppid > 0 ? { ppid, pgid } : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The processes that launched this one as one job: the parent, and every ancestor above it in this
 * process's group. `npm start` is npm, then `sh -c`, then tsx, then this node process, all in the
 * group the shell made for the command; when any of them goes (killed, its terminal closed) the
 * command is over, even though nobody forwarded a signal to us.
 */
export const launcherPids = (): number[] => {
  const own = parentAndGroup(process.pid);
  if (!own) return [];
  const pids = [process.ppid];
  let current = process.ppid;
  for (let depth = 0; depth < 16; depth += 1) {
    const next = parentAndGroup(current);
    if (!next || next.pgid !== own.pgid || next.ppid <= 1) break;
    pids.push(next.ppid);
    current = next.ppid;
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
