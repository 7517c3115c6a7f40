/**
 * `npm run invoke -- <FunctionLogicalId> events/<file>.json [--region us-east-1]`: the local
 * counterpart of `sam local invoke`. Uses the running local cloud (`npm start`, on LOCAL_AWS_PORT) when
 * there is one, else starts a fresh one for this invocation and stops it afterwards. Prints, as
 * `sam local invoke` does, the function's log on stderr and its result on stdout (pretty JSON), then
 * on stderr what the invocation caused: the MQTT messages published in the region while it ran (the
 * message API's response) and the messages that reached a dead-letter queue, with their failureReason.
 * Exits 1 when the function failed or the call did, 2 on a wrong command line.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { deadLetterQueues, peekDeadLetters, watchMqtt } from "./invoke/invocation-watch";
import { INVOKE_USAGE, parseInvokeArguments, UsageError } from "./invoke/invoke-arguments";
import { startLocalCloud } from "./local-cloud";
import { findProjectRoot } from "./project-root";
import { portFromEnv } from "./shutdown";
import { exitWithFailure, StartupError } from "./startup-error";

interface Health {
  readonly status?: string;
  readonly regions?: readonly { region: string; mqttPort?: number }[];
}

const health = async (url: string): Promise<Health | undefined> => {
  try {
    return (await (await fetch(`${url}/_local/health`)).json()) as Health;
  } catch {
    return undefined;
  }
};

/** Calls Lambda's Invoke API on the local endpoint with `LogType: Tail` (it routes by the SigV4 scope; signatures are not checked). */
const invokeAt = async (endpointUrl: string, functionId: string, region: string, event: string) => {
  const response = await fetch(`${endpointUrl}/2015-03-31/functions/${encodeURIComponent(functionId)}/invocations`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-amz-log-type": "Tail",
      authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${region}/lambda/aws4_request, SignedHeaders=host, Signature=local`,
    },
    body: event,
  });
  const logResult = response.headers.get("x-amz-log-result");
  return {
    status: response.status,
    body: await response.text(),
    functionError: response.headers.get("x-amz-function-error"),
    logs: logResult ? Buffer.from(logResult, "base64").toString("utf8") : undefined,
  };
};

const pretty = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** The message of an AWS error answer (`{"__type": ..., "message": ...}`), else the body as it is. */
const errorMessage = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as { __type?: string; message?: string; Message?: string };
    return `${parsed.__type ?? "error"}: ${parsed.message ?? parsed.Message ?? body}`;
  } catch {
    return body;
  }
};

const main = async (): Promise<void> => {
  const { functionId, region, event } = parseInvokeArguments(process.argv.slice(2));
  let endpoint = `http://127.0.0.1:${portFromEnv("LOCAL_AWS_PORT", 4566)}`;
  let stop: (() => Promise<void>) | undefined;
  let state = await health(endpoint);
  if (state?.status === "ready") {
    console.error(`invoking ${functionId} in ${region} on the running local cloud at ${endpoint}`);
  } else {
    if (state)
      throw new StartupError(
        `the local cloud at ${endpoint} is ${state.status ?? "not ready"}: wait until npm start says ready, then invoke again`,
      );
    console.error("no local cloud is running: starting a fresh one for this invocation...");
    const cloud = await startLocalCloud({
      projectRoot: findProjectRoot(),
      port: 0,
      mqttBasePort: 0,
      log: (line) => console.error(`  [local] ${line}`),
    });
    endpoint = cloud.aws.url;
    stop = () => cloud.close();
    state = await health(endpoint);
  }
  const sqs = new SQSClient({ region, endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    const mqttPort = state?.regions?.find((entry) => entry.region === region)?.mqttPort;
    const mqttWatch = mqttPort ? await watchMqtt(`mqtt://127.0.0.1:${mqttPort}`) : undefined;
    const queues = await deadLetterQueues(sqs).catch(() => []);
    const startedAt = Date.now();
    const { status, body, functionError, logs } = await invokeAt(endpoint, functionId, region, event);
    const published = (await mqttWatch?.collect()) ?? [];
    if (status !== 200) throw new StartupError(`invoke failed (HTTP ${status}) ${errorMessage(body)}`);
    if (logs) console.error(`--- log of ${functionId} (last 4 KB) ---\n${logs.trimEnd()}`);
    console.error(functionError ? `--- function error (${functionError}) ---` : "--- result ---");
    console.log(pretty(body));
    for (const message of published) console.error(`--- MQTT ${region}: ${message.topic} ---\n${pretty(message.payload)}`);
    for (const queueUrl of queues)
      for (const letter of await peekDeadLetters(sqs, queueUrl, startedAt))
        console.error(
          `--- dead-letter queue ${queueUrl.split("/").pop()}: ${letter.failureReason ?? "(no failureReason)"} ---\n${pretty(letter.body)}`,
        );
    if (functionError) process.exitCode = 1;
  } finally {
    sqs.destroy();
    await stop?.();
  }
};

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n${INVOKE_USAGE}`);
    process.exit(2);
  }
  exitWithFailure(error);
});
