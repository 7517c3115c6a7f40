/**
 * Measures the MQTT API's request -> response latency on the local cloud, as a device sees it: a real
 * MQTT client publishes `request/{op}/...` and times until `response/{op}/{token}` arrives (broker ->
 * topic rule -> function worker -> DynamoDB Local -> IoT data Publish -> broker). Requests are sent
 * one after another so the numbers are latency, not queueing.
 *
 *   npm run bench [-- --requests 200 --warmup 20] [-- --nagle]
 *
 * `--nagle` leaves Nagle's algorithm on in the MQTT client's socket (mqtt.js's default); by default
 * the client turns it off, as the brokers do, so that no hop waits for a delayed ACK.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { connectMqttApiClient, messagesQueueUrl, sampleMessage, startLocalCloud } from "local-cloud";

process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true";

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};

/** The nearest-rank percentile of sorted samples. */
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

const main = async (): Promise<void> => {
  const requests = option("requests", 200);
  const warmup = option("warmup", 20);
  const projectRoot = join(__dirname, "..");
  const logDir = mkdtempSync(join(tmpdir(), "bench-message-api-"));
  const activity: string[] = [];
  // The functions log every request at INFO; quiet them so the benchmark measures the API, not the console.
  process.env["POWERTOOLS_LOG_LEVEL"] = "WARN";
  const cloud = await startLocalCloud({
    projectRoot,
    port: 0,
    mqttBasePort: 0,
    log: (line) => activity.push(line),
    configEnvs: ["us-east-1-config"],
  });
  try {
    const region = "us-east-1";
    const api = await connectMqttApiClient(
      `mqtt://127.0.0.1:${cloud.aws.hub.portFor(region)}`,
      "benchThing",
      !process.argv.includes("--nagle"),
    );
    try {
      await api.subscribe("notification/benchThing");
      const notified = api.nextMessageOn("notification/benchThing", 20_000);
      await cloud.clients(region).sqs.send(
        new SendMessageCommand({
          QueueUrl: messagesQueueUrl(cloud, region),
          MessageBody: JSON.stringify(sampleMessage("benchThing", 1_767_225_600)),
        }),
      );
      const messageId = String((await notified)["messageId"]);
      const operations = ["request/query/benchThing", `request/get/benchThing/${messageId}`, `request/next/benchThing/${messageId}`];
      for (let n = 0; n < warmup; n += 1) await api.request(operations[n % operations.length] as string);
      const samples: number[] = [];
      for (let n = 0; n < requests; n += 1) samples.push((await api.request(operations[n % operations.length] as string)).elapsedMs);
      const sorted = [...samples].sort((a, b) => a - b);
      const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
      console.log(
        `message API on the local cloud: ${requests} sequential requests (query/get/next) after ${warmup} warm-up requests${process.argv.includes("--nagle") ? " (client socket with Nagle)" : ""}`,
      );
      console.log(
        `  p50 ${percentile(sorted, 50).toFixed(1)} ms  p90 ${percentile(sorted, 90).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${(sorted[sorted.length - 1] as number).toFixed(1)} ms  mean ${mean.toFixed(1)} ms`,
      );
    } finally {
      await api.close();
    }
  } finally {
    writeFileSync(join(logDir, "activity.log"), activity.join("\n"));
    await cloud.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
