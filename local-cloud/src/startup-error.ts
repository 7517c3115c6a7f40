/**
 * A failure to start that the user can fix (a busy port, no Java, a bad setting, a wrong argument):
 * its message is the one line they see, saying what is wrong and what to do, without a stack trace.
 */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

/** Whether `listen` failed because another process holds the port. */
export const isAddressInUse = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE";

/** Whether `spawn` failed because the program is not on PATH. */
export const isProgramMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";

/**
 * How a command-line entry point ends on a failure: one line for a failure the user can fix, the
 * stack for anything else (that is a bug to report), and exit code 1 either way.
 */
export const exitWithFailure = (error: unknown): never => {
  if (error instanceof StartupError) console.error(`error: ${error.message}`);
  else console.error(error);
  process.exit(1);
};
