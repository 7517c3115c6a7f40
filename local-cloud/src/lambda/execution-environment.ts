import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

/** What an execution environment needs to know of its function. */
export interface EnvironmentSettings {
  readonly functionName: string;
  readonly arn: string;
  readonly region: string;
  readonly bundlePath: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** process.env of the environment: the function's variables, AWS_REGION, the endpoint override. */
  readonly env: NodeJS.ProcessEnv;
  /** Where the function's stdout and stderr go; undefined: this process's own. */
  readonly output?: (chunk: string) => void;
}

/**
 * What an invocation ended with: the handler's result, or the error Lambda would report, and the
 * invocation's log as Lambda writes it (START, what the function wrote, END and REPORT lines).
 */
export type InvocationResult = (
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } }
) & { readonly durationMs: number; readonly logs: string };

type Outcome = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string } };

interface Pending {
  readonly resolve: (result: InvocationResult) => void;
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout;
  readonly requestId: string;
}

/** The lines Lambda's Node.js runtime and platform write around an invocation. */
const invocationLog = (requestId: string, functionLogs: string, outcome: Outcome, durationMs: number, memorySize: number): string => {
  const now = new Date().toISOString();
  const failure = outcome.ok
    ? ""
    : outcome.error.name === "Sandbox.Timedout"
      ? `${now} ${requestId} ${outcome.error.message}\n`
      : `${now}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: outcome.error.name, errorMessage: outcome.error.message })}\n`;
  const body = functionLogs === "" || functionLogs.endsWith("\n") ? functionLogs : `${functionLogs}\n`;
  return (
    `START RequestId: ${requestId} Version: $LATEST\n${body}${failure}END RequestId: ${requestId}\n` +
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\tMemory Size: ${memorySize} MB\n`
  );
};

type WorkerMessage = { id: number; ok: boolean; result?: unknown; error?: { name: string; message: string }; logs?: string };

/**
 * One Lambda execution environment: a worker thread that loads the bundle once (its cold start, with
 * its own module scope, SDK clients and Powertools state) and then serves one invocation at a time
 * with the function's timeout. An environment whose invocation timed out, whose runtime crashed or
 * whose module failed to load is discarded (`usable` false), as Lambda discards it; the function
 * starts a fresh one for later invocations.
 */
export class ExecutionEnvironment {
  /** False once the environment has been discarded or shut down: it serves no more invocations. */
  usable = true;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly logStreamName: string;

  constructor(private readonly settings: EnvironmentSettings) {
    const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
    this.logStreamName = `${day}/[$LATEST]${randomUUID().replaceAll("-", "")}`;
  }

  /** Runs the handler with an event; the caller never overlaps two invocations. */
  run(event: unknown): Promise<InvocationResult> {
    this.worker ??= this.startWorker();
    const worker = this.worker;
    const id = this.nextId++;
    const { timeoutSeconds, functionName, memorySize, arn } = this.settings;
    const timeoutMs = timeoutSeconds * 1000;
    const requestId = randomUUID();
    return new Promise<InvocationResult>((resolve) => {
      const timer = setTimeout(() => {
        this.finish(id, {
          ok: false,
          error: { name: "Sandbox.Timedout", message: `Task timed out after ${timeoutSeconds.toFixed(2)} seconds` },
        });
        // Lambda discards an environment whose invocation timed out.
        this.discard();
      }, timeoutMs);
      this.pending.set(id, { resolve, startedAt: Date.now(), timer, requestId });
      worker.postMessage({
        id,
        event,
        context: {
          functionName,
          functionVersion: "$LATEST",
          invokedFunctionArn: arn,
          memoryLimitInMB: String(memorySize),
          awsRequestId: requestId,
          logGroupName: `/aws/lambda/${functionName}`,
          logStreamName: this.logStreamName,
          timeoutMs,
        },
      });
    });
  }

  /**
   * An injected crash: hands the handler only the first `handed` of the event's `total` records (so
   * part of the batch's side effects happen), then kills the environment and reports
   * `Runtime.ExitError` for the whole invocation, as a runtime that died mid-batch would.
   */
  async crash(event: unknown, records: readonly unknown[] | undefined, handed: number, total: number): Promise<InvocationResult> {
    const startedAt = Date.now();
    const partial = records && handed > 0 ? await this.run({ ...(event as object), Records: records.slice(0, handed) }) : undefined;
    await this.discard();
    return {
      ok: false,
      error: {
        name: "Runtime.ExitError",
        message: `Runtime exited with error: signal: killed (LOCAL_FAULTS crash after ${handed} of ${total} record(s))`,
      },
      durationMs: Date.now() - startedAt,
      // What the handler logged before the crash, as Lambda's log tail would show it.
      logs: partial?.logs ?? "",
    };
  }

  /**
   * Stops the environment for good. An invocation still running ends with an error at once: left
   * pending, its timeout timer would keep the process alive for up to the function's Timeout.
   */
  async close(): Promise<void> {
    this.failPending("the execution environment was shut down");
    await this.discard();
  }

  private async discard(): Promise<void> {
    this.usable = false;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private failPending(message: string, name = "Runtime.ExitError"): void {
    for (const id of [...this.pending.keys()]) this.finish(id, { ok: false, error: { name, message } });
  }

  private startWorker(): Worker {
    const output = this.settings.output;
    const worker = new Worker(join(__dirname, "function-worker.js"), {
      workerData: { bundlePath: this.settings.bundlePath, exportName: this.settings.exportName },
      env: this.settings.env,
      stdout: output !== undefined,
      stderr: output !== undefined,
    });
    if (output) {
      worker.stdout.setEncoding("utf8").on("data", output);
      worker.stderr.setEncoding("utf8").on("data", output);
    }
    worker.on("message", (message: WorkerMessage) => {
      if (message.id === 0) {
        // The module failed to load: the invocation fails with the import error, and the next one
        // gets a fresh environment that tries to load it again, as Lambda's next cold start would.
        for (const id of [...this.pending.keys()])
          this.finish(
            id,
            { ok: false, error: message.error ?? { name: "Runtime.ImportModuleError", message: "load failed" } },
            message.logs,
          );
        void this.discard();
        return;
      }
      this.finish(
        message.id,
        message.ok
          ? { ok: true, result: message.result }
          : { ok: false, error: message.error ?? { name: "Error", message: "unknown error" } },
        message.logs,
      );
    });
    worker.on("error", (error) => {
      this.failPending(error.message);
      void this.discard();
    });
    worker.on("exit", () => {
      if (this.worker !== worker) return;
      // The runtime exited on its own (process.exit in the handler): the environment is gone.
      this.worker = undefined;
      this.usable = false;
      this.failPending("Runtime exited without providing a reason");
    });
    return worker;
  }

  private finish(id: number, outcome: Outcome, functionLogs = ""): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    const durationMs = Date.now() - pending.startedAt;
    const logs = invocationLog(pending.requestId, functionLogs, outcome, durationMs, this.settings.memorySize);
    pending.resolve({ ...outcome, durationMs, logs });
  }
}
