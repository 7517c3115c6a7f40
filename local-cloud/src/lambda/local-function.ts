import { randomBytes } from "node:crypto";
import { sessionAccessKeyId } from "../endpoint/partition-credentials";
import { regionalArn } from "../endpoint/partitions";
import type { FaultInjector } from "../faults/fault-injector";
import { ExecutionEnvironment, type InvocationResult } from "./execution-environment";

export type { InvocationResult } from "./execution-environment";

/**
 * How many execution environments a function may run at once when the template reserves none. Lambda
 * would give an account-wide 1,000; on a developer's machine (2 cores here) every environment is a
 * worker thread with its own copy of the SDK (tens of MB), and past a handful of them the function's
 * calls queue for DynamoDB Local and the CPU rather than run in parallel: 10 lets I/O-bound batches
 * (DynamoDB and SQS round trips, throttling backoff) overlap without starving the rest of the cloud.
 */
export const DEFAULT_LOCAL_CONCURRENCY = 10;

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
  /**
   * At most this many execution environments at once: the template's ReservedConcurrentExecutions
   * when it sets one (0 throttles every invocation, as Lambda does), else DEFAULT_LOCAL_CONCURRENCY.
   */
  readonly concurrency?: number;
  /** Crashes invocations part-way through their batch, as its rules say. */
  readonly faults?: FaultInjector;
  /**
   * Where the function's stdout and stderr go (its log lines and EMF metrics, which Lambda sends to
   * CloudWatch): each chunk as the function wrote it. Default: this process's own stdout and stderr.
   */
  readonly output?: (chunk: string) => void;
}

const failure = (name: string, message: string): InvocationResult => ({ ok: false, error: { name, message }, durationMs: 0, logs: "" });

/**
 * One deployed function in one local region, run as Lambda runs it: a pool of execution environments
 * (worker threads, see ExecutionEnvironment), started on demand up to the function's concurrency, each
 * serving one invocation at a time; an idle one is reused (a warm start), and an invocation that finds
 * all of them busy at the limit waits for the first to come free. A timed-out or crashed environment is
 * thrown away alone; the others go on.
 *
 * An injected crash (`LOCAL_FAULTS` `crash`) hands the handler only the first k records of the
 * event's `Records` (k drawn from 0..n-1, so part of the batch's side effects happen), then kills the
 * environment and reports `Runtime.ExitError` for the whole invocation, as a runtime that died
 * mid-batch would: the event source retries the batch as it does after any function error.
 */
export class LocalFunction {
  readonly arn: string;
  /** The most environments this function runs at once. */
  readonly concurrency: number;
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly busy = new Set<ExecutionEnvironment>();
  private readonly waiting: ((environment: ExecutionEnvironment | undefined) => void)[] = [];
  private closed = false;
  invocations = 0;
  /** Environments started so far (cold starts). */
  coldStarts = 0;

  /** The secret parts of every credential set handed to an environment, for tests that check logs never show them. */
  readonly issuedSecrets: string[] = [];

  /**
   * Temporary credentials for one execution environment, shaped as Lambda's (an `ASIA` key id, a
   * secret and a session token in the environment variables), of the partition of the function's
   * region (the endpoint refuses a key of another partition); random secrets let a test prove that
   * no log line ever carries them.
   */
  private issueCredentials(): Record<string, string> {
    const secretAccessKey = randomBytes(30).toString("base64");
    const sessionToken = randomBytes(96).toString("base64");
    this.issuedSecrets.push(secretAccessKey, sessionToken);
    return {
      AWS_ACCESS_KEY_ID: sessionAccessKeyId(this.options.region),
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_SESSION_TOKEN: sessionToken,
    };
  }

  constructor(readonly options: LocalFunctionOptions) {
    this.arn = regionalArn(options.region, "lambda", `function:${options.functionName}`);
    this.concurrency = options.concurrency ?? DEFAULT_LOCAL_CONCURRENCY;
  }

  /** Invokes the handler with an event in a free environment, waiting for one if all are busy. */
  async invoke(event: unknown): Promise<InvocationResult> {
    // A retry that arrives after close() must not start a new environment nobody will stop.
    if (this.closed) return failure("Runtime.ExitError", "the function has been shut down");
    if (this.concurrency === 0) return failure("TooManyRequestsException", "Rate Exceeded. (ReservedConcurrentExecutions is 0)");
    const environment = await this.acquire();
    if (!environment) return failure("Runtime.ExitError", "the function has been shut down");
    try {
      this.invocations += 1;
      const records = (event as { Records?: unknown } | null)?.Records;
      const total = Array.isArray(records) ? records.length : 0;
      const crashAfter = this.options.faults?.crashPoint(this.options.functionName, total);
      return crashAfter !== undefined
        ? await environment.crash(event, records as unknown[] | undefined, crashAfter, total)
        : await environment.run(event);
    } finally {
      this.release(environment);
    }
  }

  /** Shuts every environment down; invocations still running, or waiting for one, end with an error at once. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(undefined);
    const all = [...this.idle.splice(0), ...this.busy];
    await Promise.all(all.map((environment) => environment.close()));
  }

  private acquire(): Promise<ExecutionEnvironment | undefined> {
    const environment = this.idle.pop() ?? (this.busy.size < this.concurrency ? this.startEnvironment() : undefined);
    if (environment) {
      this.busy.add(environment);
      return Promise.resolve(environment);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands a finished environment to the first waiting invocation, or parks it; a discarded one is replaced for a waiter. */
  private release(environment: ExecutionEnvironment): void {
    this.busy.delete(environment);
    if (this.closed) return;
    const next = environment.usable ? environment : this.waiting.length > 0 ? this.startEnvironment() : undefined;
    if (!next) return;
    const wake = this.waiting.shift();
    if (!wake) {
      this.idle.push(next);
      return;
    }
    this.busy.add(next);
    wake(next);
  }

  private startEnvironment(): ExecutionEnvironment {
    this.coldStarts += 1;
    const { options } = this;
    return new ExecutionEnvironment({
      functionName: options.functionName,
      arn: this.arn,
      region: options.region,
      bundlePath: options.bundlePath,
      exportName: options.exportName,
      timeoutSeconds: options.timeoutSeconds,
      memorySize: options.memorySize,
      env: {
        PATH: process.env["PATH"],
        TZ: "UTC",
        ...options.environment,
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        AWS_ENDPOINT_URL: options.endpointUrl,
        ...this.issueCredentials(),
        AWS_LAMBDA_FUNCTION_NAME: options.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memorySize),
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        // As Lambda sets it: Powertools reads it to flag the first invocation of an environment as a cold start.
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
      ...(options.output ? { output: options.output } : {}),
    });
  }
}
