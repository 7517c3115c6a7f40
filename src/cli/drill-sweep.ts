import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { readStackOutput } from "./stack-output";

/**
 * Certificates, policies and attachments have no IoT events: they reach the replica only through the
 * primary's registry sweep, every `SweepIntervalMinutes` (the documented worst case). The drill does not
 * wait for the schedule: it invokes the sweep itself, so what it measures is the replication path and
 * not where the schedule happened to be. The operator needs `lambda:InvokeFunction` on the primary's
 * SweepRegistryFunction; `--no-sweep-now` waits for the schedule instead.
 */

/** The primary's sweep function: on the local cloud its logical id (the local Lambda API accepts it), on AWS the stack output. */
export const findSweepFunction = (
  primary: string,
  options: { readonly endpointUrl: string | undefined; readonly stack: string },
): { name: string } | { reason: string } => {
  if (options.endpointUrl) return { name: "SweepRegistryFunction" };
  const output = readStackOutput(options.stack, primary, "SweepRegistryFunctionArn");
  return "value" in output ? { name: output.value } : { reason: `${output.reason}; pass --no-sweep-now to wait for the schedule` };
};

interface SweepAnswer {
  readonly ran: boolean;
  readonly complete?: boolean;
  readonly passStartedAt?: number;
}

const PAUSE_MS = 1000;

/**
 * Invokes the sweep until a pass that started at or after `since` has completed (listed everything and
 * written the tombstones of what it did not see): a run may end part-way (it resumes from its
 * checkpoint), may finish a pass that began before `since`, or may find another run holding the lease
 * (the schedule's): each case invokes again. Resolves with the invocations it took; rejects with the
 * function's error or when `deadline` passes.
 */
export const sweepUntilSeen = async (lambda: LambdaClient, functionName: string, since: number, deadline: number): Promise<number> => {
  for (let invocations = 1; Date.now() < deadline; invocations++) {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode("{}") }));
    const text = new TextDecoder().decode(answer.Payload ?? new Uint8Array());
    if (answer.FunctionError) throw new Error(`${functionName} failed: ${text}`);
    const run = JSON.parse(text || "{}") as SweepAnswer;
    if (run.ran && run.complete && (run.passStartedAt ?? 0) >= since) return invocations;
    if (!run.ran) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  throw new Error(`no pass of ${functionName} completed after the changes before the timeout`);
};
