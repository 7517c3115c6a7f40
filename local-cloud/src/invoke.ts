/**
 * `npm run invoke -- <FunctionLogicalId> events/<file>.json [--region us-east-1]`: the local
 * counterpart of `sam local invoke`. Uses the running local cloud (`npm start`, on LOCAL_AWS_PORT) when
 * there is one, else starts a fresh one for this invocation and stops it afterwards. Prints the
 * function's response; exits 1 when the function failed.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startLocalCloud } from "./local-cloud";
import { findProjectRoot } from "./project-root";
import { portFromEnv } from "./shutdown";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { region: { type: "string", default: "us-east-1" } } });
const [functionId, eventFile] = positionals;
if (!functionId || !eventFile) {
  console.error("usage: npm run invoke -- <FunctionLogicalId> events/<file>.json [--region us-east-1]");
  process.exit(2);
}
const region = values.region ?? "us-east-1";
const event = readFileSync(resolve(eventFile), "utf8");

/** Calls Lambda's Invoke API on the local endpoint (it routes by the SigV4 scope; signatures are not checked). */
const invokeAt = async (endpointUrl: string): Promise<{ body: string; functionError: string | null; status: number }> => {
  const response = await fetch(`${endpointUrl}/2015-03-31/functions/${encodeURIComponent(functionId)}/invocations`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${region}/lambda/aws4_request, SignedHeaders=host, Signature=local`,
    },
    body: event,
  });
  return { body: await response.text(), functionError: response.headers.get("x-amz-function-error"), status: response.status };
};

const runningCloud = async (): Promise<string | undefined> => {
  const url = `http://127.0.0.1:${portFromEnv("LOCAL_AWS_PORT", 4566)}`;
  try {
    const health = (await (await fetch(`${url}/_local/health`)).json()) as { status?: string };
    return health.status === "ready" ? url : undefined;
  } catch {
    return undefined;
  }
};

const main = async (): Promise<void> => {
  let endpoint = await runningCloud();
  let stop: (() => Promise<void>) | undefined;
  if (endpoint) {
    console.error(`invoking ${functionId} in ${region} on the running local cloud at ${endpoint}`);
  } else {
    console.error("no local cloud is running: starting a fresh one for this invocation...");
    const cloud = await startLocalCloud({
      projectRoot: findProjectRoot(),
      port: 0,
      mqttBasePort: 0,
      log: (line) => console.error(`  [local] ${line}`),
    });
    endpoint = cloud.aws.url;
    stop = () => cloud.close();
  }
  try {
    const { body, functionError, status } = await invokeAt(endpoint);
    console.log(body);
    if (status !== 200 || functionError) {
      console.error(functionError ? `function error (${functionError})` : `invoke failed with HTTP ${status}`);
      process.exitCode = 1;
    }
  } finally {
    await stop?.();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
