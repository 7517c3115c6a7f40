import { AwsError } from "../endpoint/aws-error";
import type { LocalRequest, LocalResponse, LocalService } from "../endpoint/service";
import type { LocalFunction } from "./local-function";

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Lambda's `X-Amz-Log-Result`: the last 4 KB of the invocation's log, base64. */
const LOG_TAIL_BYTES = 4096;
const logTail = (logs: string): string => {
  const bytes = Buffer.from(logs, "utf8");
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString("base64");
};

/**
 * The Lambda `Invoke` API for the functions the local cloud deployed, so `aws lambda invoke
 * --endpoint-url ...`, the SDK and `npm run invoke` reach them. A function is found by name, ARN, or
 * (a local convenience) its logical id in template.yaml; errors are answered as Lambda answers them,
 * with `notFoundHint(region)` added to a function-not-found message (what is deployed, and where).
 * `LogType: Tail` answers the invocation's log tail in `X-Amz-Log-Result`, as Lambda does.
 */
export const createLambdaService = (
  findFunction: (region: string, nameOrArn: string) => LocalFunction | undefined,
  notFoundHint: (region: string) => string,
): LocalService => ({
  name: "lambda",
  // Lambda's name for its one emulated operation, so throttle and quota rules can name `Invoke`.
  operationOf: (request) => (request.method === "POST" && INVOKE_PATH.test(request.path) ? "Invoke" : undefined),
  handle: async (request: LocalRequest): Promise<LocalResponse> => {
    const match = INVOKE_PATH.exec(request.path);
    if (request.method !== "POST" || !match)
      throw new AwsError(
        "NotImplementedException",
        `lambda operation ${request.method} ${request.path} is not supported by the local cloud`,
        501,
      );
    const name = decodeURIComponent(match[1] as string);
    const fn = findFunction(request.region, name);
    if (!fn)
      throw new AwsError(
        "ResourceNotFoundException",
        `Function not found: ${name} in ${request.region}: ${notFoundHint(request.region)}`,
        404,
      );
    let event: unknown;
    try {
      event = request.body.length > 0 ? JSON.parse(request.body.toString("utf8")) : {};
    } catch {
      throw new AwsError("InvalidRequestContentException", "Could not parse request body into json", 400);
    }
    const invocationType = String(request.headers["x-amz-invocation-type"] ?? "RequestResponse");
    if (invocationType === "DryRun") return { status: 204 };
    if (invocationType === "Event") {
      void fn.invoke(event);
      return { status: 202 };
    }
    const outcome = await fn.invoke(event);
    const tail = String(request.headers["x-amz-log-type"] ?? "None") === "Tail";
    const headers = {
      "content-type": "application/json",
      "x-amz-executed-version": "$LATEST",
      ...(tail ? { "x-amz-log-result": logTail(outcome.logs) } : {}),
    };
    return outcome.ok
      ? { status: 200, headers, body: JSON.stringify(outcome.result ?? null) }
      : {
          status: 200,
          headers: { ...headers, "x-amz-function-error": "Unhandled" },
          body: JSON.stringify({ errorType: outcome.error.name, errorMessage: outcome.error.message }),
        };
  },
});
