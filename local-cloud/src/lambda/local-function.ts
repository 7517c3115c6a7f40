import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { LOCAL_ACCOUNT_ID } from "../endpoint/service";
import type { FaultInjector } from "../faults/fault-injector";

export interface LocalFunctionOptions {
  readonly functionName: string;
  readonly region: string;
  readonly bundlePath: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** The function's own variables from the template, already resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** The local AWS endpoint the function's SDK clients must talk to. */
  readonly endpointUrl: string;
  /** Crashes invocations part-way through their batch, as its rules say. */
  readonly faults?: FaultInjector;
  /**
   * Where the function's stdout and stderr go (its log lines and EMF metrics, which Lambda sends to
   * CloudWatch): each chunk as the function wrote it. Default: this process's own stdout and stderr.
   */
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

/**
 * One deployed function in one local region, run like a Lambda execution environment: the bundle
 * loads once (cold start) in a worker thread whose process.env holds the function's environment plus
 * AWS_REGION and the endpoint override; invocations run one at a time with the function's timeout,
 * and a timed-out environment is thrown away and started afresh, as Lambda does.
 *
 * An injected crash (`LOCAL_FAULTS` `crash`) hands the handler only the first k records of the
 * event's `Records` (k drawn from 0..n-1, so part of the batch's side effects happen), then kills the
 * environment and reports `Runtime.ExitError` for the whole invocation, as a runtime that died
 * mid-batch would: the event source retries the batch as it does after any function error.
 */
export class LocalFunction {
  readonly arn: string;
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private nextId = 1;
  invocations = 0;

  constructor(readonly options: LocalFunctionOptions) {
    this.arn = `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT_ID}:function:${options.functionName}`;
  }

  /** Invokes the handler with an event; concurrent calls wait their turn, as in one environment. */
  invoke(event: unknown): Promise<InvocationResult> {
    const run = this.queue.then(() => this.invokeNow(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Shuts the environment down. An invocation still running ends with an error at once: left
   * pending, its timeout timer would keep the process (a test run, `npm start`) alive for up to the
   * function's Timeout after everything else has stopped.
   */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.closed = true;
    for (const id of [...this.pending.keys()])
      this.finish(id, { ok: false, error: { name: "Runtime.ExitError", message: "the execution environment was shut down" } });
    if (worker) await worker.terminate();
  }

  private environment(): NodeJS.ProcessEnv {
    return {
      PATH: process.env["PATH"],
      TZ: "UTC",
      ...this.options.environment,
      AWS_REGION: this.options.region,
      AWS_DEFAULT_REGION: this.options.region,
      AWS_ENDPOINT_URL: this.options.endpointUrl,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_LAMBDA_FUNCTION_NAME: this.options.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.options.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      // As Lambda sets it: Powertools reads it to flag the first invocation of an environment as a cold start.
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
  }

  private startWorker(): Worker {
    const worker = new Worker(join(__dirname, "function-worker.js"), {
      workerData: { bundlePath: this.options.bundlePath, exportName: this.options.exportName },
      env: this.environment(),
      stdout: this.options.output !== undefined,
      stderr: this.options.output !== undefined,
    });
    const output = this.options.output;
    if (output) {
      worker.stdout.setEncoding("utf8").on("data", output);
      worker.stderr.setEncoding("utf8").on("data", output);
    }
    type WorkerMessage = { id: number; ok: boolean; result?: unknown; error?: { name: string; message: string }; logs?: string };
    worker.on("message", (message: WorkerMessage) => {
      if (message.id === 0) {
        // The module failed to load: every pending invocation fails with the import error.
        for (const id of [...this.pending.keys()])
          this.finish(
            id,
            { ok: false, error: message.error ?? { name: "Runtime.ImportModuleError", message: "load failed" } },
            message.logs,
          );
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
      for (const id of [...this.pending.keys()])
        this.finish(id, { ok: false, error: { name: "Runtime.ExitError", message: error.message } });
      this.worker = undefined;
    });
    worker.on("exit", () => {
      if (this.worker === worker) this.worker = undefined;
    });
    return worker;
  }

  private finish(id: number, outcome: Outcome, functionLogs = ""): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    const durationMs = Date.now() - pending.startedAt;
    const logs = invocationLog(pending.requestId, functionLogs, outcome, durationMs, this.options.memorySize);
    pending.resolve({ ...outcome, durationMs, logs });
  }

  private invokeNow(event: unknown): Promise<InvocationResult> {
    // A retry that arrives after close() must not start a new environment nobody will stop.
    if (this.closed)
      return Promise.resolve({
        ok: false,
        error: { name: "Runtime.ExitError", message: "the function has been shut down" },
        durationMs: 0,
        logs: "",
      });
    this.invocations += 1;
    const records = (event as { Records?: unknown } | null)?.Records;
    const total = Array.isArray(records) ? records.length : 0;
    const crashAfter = this.options.faults?.crashPoint(this.options.functionName, total);
    if (crashAfter !== undefined) return this.crash(event, records as unknown[] | undefined, crashAfter, total);
    return this.runInWorker(event);
  }

  private async crash(event: unknown, records: unknown[] | undefined, handed: number, total: number): Promise<InvocationResult> {
    const startedAt = Date.now();
    const partial = records && handed > 0 ? await this.runInWorker({ ...(event as object), Records: records.slice(0, handed) }) : undefined;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
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

  private runInWorker(event: unknown): Promise<InvocationResult> {
    this.worker ??= this.startWorker();
    const worker = this.worker;
    const id = this.nextId++;
    const timeoutMs = this.options.timeoutSeconds * 1000;
    const requestId = randomUUID();
    return new Promise<InvocationResult>((resolve) => {
      const timer = setTimeout(() => {
        this.finish(id, {
          ok: false,
          error: { name: "Sandbox.Timedout", message: `Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds` },
        });
        // Lambda discards an environment whose invocation timed out.
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
      }, timeoutMs);
      this.pending.set(id, { resolve, startedAt: Date.now(), timer, requestId });
      worker.postMessage({
        id,
        event,
        context: {
          functionName: this.options.functionName,
          functionVersion: "$LATEST",
          invokedFunctionArn: this.arn,
          memoryLimitInMB: String(this.options.memorySize),
          awsRequestId: requestId,
          logGroupName: `/aws/lambda/${this.options.functionName}`,
          logStreamName: `local/${this.options.region}`,
          timeoutMs,
        },
      });
    });
  }
}
