import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTableFromTemplate } from "local-cloud/testing";
import type { CaptureBenchOptions } from "./capture";
import { thingEvents } from "./capture";
import { buildProperties, bundleEntry, LOCAL_CREDENTIALS, projectRoot, REGION, sqsRecords } from "./functions";
import type { OutputSink } from "./output-sink";
import { atMost, type BenchRow, compare } from "./results";

/** The memory budget of the figure: a 128 MB function. */
const BUDGET_MB = 128;

/** Runs the probe in a fresh process and returns its last stderr line as JSON; its stdout goes to the sink. */
const runProbe = (bundlePath: string, eventPath: string, environment: Record<string, string>, sink: OutputSink) =>
  new Promise<{ maxRssKiB: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, "bench", "memory-probe.js"), bundlePath, eventPath], {
      env: { PATH: process.env["PATH"], TZ: "UTC", ...environment },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", sink.write);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = stderr.trim().split("\n").pop() ?? "";
      try {
        const report = JSON.parse(last) as { maxRssKiB?: number; error?: string };
        if (code === 0 && typeof report.maxRssKiB === "number") resolve({ maxRssKiB: report.maxRssKiB });
        else reject(new Error(`memory probe failed (exit ${code}): ${report.error ?? last}`));
      } catch {
        reject(new Error(`memory probe failed (exit ${code}): ${stderr.trim() || "no output"}`));
      }
    });
  });

/** The same inputs as the capture bench: `events` is the size of the one batch measured. */
export type MemoryBenchOptions = CaptureBenchOptions;

/** Peak RSS of a fresh process that loads the capture bundle and captures one batch of `events` events. */
export const benchMemory = async (options: MemoryBenchOptions): Promise<BenchRow[]> => {
  const properties = buildProperties("CaptureRegistryEventFunction");
  const bundle = await bundleEntry(properties.EntryPoints[0] as string, properties, `${options.outdir}/capture-memory`);
  await createTableFromTemplate(options.dynamodb, "ReplicaTable", "BenchCaptureMemory");
  const eventPath = join(options.outdir, "memory-event.json");
  const bodies = thingEvents("memory", options.events).map((event) => JSON.stringify(event));
  writeFileSync(eventPath, JSON.stringify({ Records: sqsRecords(bodies, "memory") }));
  const { maxRssKiB } = await runProbe(
    bundle,
    eventPath,
    {
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: options.endpointUrl,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_LAMBDA_FUNCTION_NAME: "registry-capture",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(BUDGET_MB),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: "WARN",
      POWERTOOLS_METRICS_NAMESPACE: "IoTFleetReplicator",
      POWERTOOLS_SERVICE_NAME: "registry-capture",
      REPLICA_TABLE_NAME: "BenchCaptureMemory",
      CAPTURE_DLQ_URL: options.deadLetterQueueUrl,
      TOMBSTONE_TTL_DAYS: "30",
    },
    options.sink,
  );
  return [
    compare({
      figure: `memory: capture batch of ${options.events} events`,
      unit: "MB",
      value: maxRssKiB / 1024, // Lambda's "MB" of memory are MiB
      against: "budget",
      reference: BUDGET_MB,
      target: atMost(1),
    }),
  ];
};
