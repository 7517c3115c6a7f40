/**
 * `npm run bench`: every figure measured side by side with its baseline or the machine's limit, in
 * one run, as a ratio. Prints the table and writes bench/results.md, bench/results.json and
 * bench/results.png. Counts come from the environment (see README, "Performance").
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { startLocalAws } from "local-cloud";
import { benchApiLatency } from "./api-latency";
import { benchCapture } from "./capture";
import { renderChart } from "./chart";
import { benchColdStart } from "./cold-start";
import { benchDisasterRecovery } from "./dr";
import { benchFleet } from "./fleet";
import { LOCAL_CREDENTIALS, projectRoot, REGION } from "./functions";
import { benchIngestion } from "./ingestion";
import { benchMemory } from "./memory";
import { OutputSink } from "./output-sink";
import { type BenchRow, conditionsOf, markdownTable, mergeRows, writeResults } from "./results";
import { countFromEnv } from "./stats";
import { benchSyncWriter } from "./sync-writer";

const counts = {
  events: countFromEnv("BENCH_EVENTS", 2000),
  messages: countFromEnv("BENCH_MESSAGES", 2000),
  requests: countFromEnv("BENCH_REQUESTS", 1000),
  clients: countFromEnv("BENCH_CLIENTS", 10),
  memoryEvents: countFromEnv("BENCH_MEMORY_EVENTS", 1000),
  coldStarts: countFromEnv("BENCH_COLD_STARTS", 7),
  syncItems: countFromEnv("BENCH_SYNC_ITEMS", 1000),
  drChanges: countFromEnv("BENCH_DR_CHANGES", 1000),
  fleetDevices: countFromEnv("BENCH_FLEET_DEVICES", 1000),
};

/** BENCH_ONLY=writes,api,cold,sync,dr,fleet runs only those stages (for profiling) and prints without writing results. */
const STAGES = ["writes", "api", "cold", "sync", "dr", "fleet"] as const;
const only = (process.env["BENCH_ONLY"] ?? "").split(",").filter((stage) => stage !== "");
for (const stage of only)
  if (!(STAGES as readonly string[]).includes(stage))
    throw new Error(`BENCH_ONLY: unknown stage ${JSON.stringify(stage)} (stages: ${STAGES.join(", ")})`);
const runs = (stage: (typeof STAGES)[number]): boolean => only.length === 0 || only.includes(stage);

/** Capture, ingestion and memory on one local AWS endpoint (DynamoDB Local, SQS) with direct invocations. */
const benchWrites = async (outdir: string, sink: OutputSink): Promise<BenchRow[]> => {
  const local = await startLocalAws({ port: 0, mqttBasePort: 0, regions: [REGION] });
  const config = { region: REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient(config);
  const sqs = new SQSClient(config);
  try {
    const deadLetterQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-dlq" }))).QueueUrl ?? "";
    const common = { endpointUrl: local.url, dynamodb, deadLetterQueueUrl, sink, outdir };
    const capture = await benchCapture({ ...common, events: counts.events });
    const ingestion = await benchIngestion({ ...common, messages: counts.messages });
    const memory = await benchMemory({ ...common, events: counts.memoryEvents });
    return [...capture, ...ingestion, ...memory];
  } finally {
    dynamodb.destroy();
    sqs.destroy();
    await local.close();
  }
};

/** The table sync writer on its own local AWS endpoint (DynamoDB Local, SQS, SSM for the target keys). */
const benchSync = async (outdir: string, sink: OutputSink): Promise<BenchRow[]> => {
  const local = await startLocalAws({ port: 0, mqttBasePort: 0, regions: [REGION] });
  const config = { region: REGION, endpoint: local.url, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient(config);
  const sqs = new SQSClient(config);
  const ssm = new SSMClient(config);
  try {
    const deadLetterQueueUrl =
      (await sqs.send(new CreateQueueCommand({ QueueName: "bench-sync-dlq.fifo", Attributes: { FifoQueue: "true" } }))).QueueUrl ?? "";
    return await benchSyncWriter({ endpointUrl: local.url, dynamodb, ssm, deadLetterQueueUrl, sink, outdir, items: counts.syncItems });
  } finally {
    dynamodb.destroy();
    sqs.destroy();
    ssm.destroy();
    await local.close();
  }
};

const main = async (): Promise<void> => {
  const outdir = mkdtempSync(join(tmpdir(), "bench-"));
  const sink = new OutputSink();
  const startedAt = Date.now();
  try {
    const rows: BenchRow[] = [];
    const stage = async (name: string, run: () => Promise<BenchRow[]>): Promise<void> => {
      const started = Date.now();
      rows.push(...(await run()));
      console.log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    };
    if (runs("writes")) await stage("capture, ingestion, memory", () => benchWrites(outdir, sink));
    if (runs("api")) await stage("API latency", () => benchApiLatency({ requests: counts.requests, clients: counts.clients, sink }));
    if (runs("cold")) await stage("cold start", () => benchColdStart({ outdir, runs: counts.coldStarts }));
    if (runs("sync")) await stage("table sync writer", () => benchSync(outdir, sink));
    if (runs("dr")) await stage("DR replication lag", () => benchDisasterRecovery({ changes: counts.drChanges, sink }));
    if (runs("fleet"))
      await stage("fleet bootstrap at AWS's default quotas", () => benchFleet({ devices: counts.fleetDevices, share: 0.95, sink }));
    const conditions = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, in ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`,
      `Counts: ${Object.entries(counts)
        .map(([name, value]) => `${name} ${value}`)
        .join(", ")}. The functions wrote ${sink.lines} lines (${sink.bytes} bytes) of logs and EMF metrics to the bench's sink.`,
    ].join(" ");
    const benchDir = join(projectRoot, "bench");
    if (only.length > 0 && process.env["BENCH_UPDATE"] !== "1") {
      console.log(
        `\n${markdownTable(rows)}\n\n${conditions}\n\n(BENCH_ONLY: results not written; BENCH_UPDATE=1 writes these stages' rows into them)`,
      );
      return;
    }
    const written =
      only.length > 0
        ? {
            rows: mergeRows(JSON.parse(readFileSync(join(benchDir, "results.json"), "utf8")) as BenchRow[], rows, only),
            conditions: `${conditionsOf(readFileSync(join(benchDir, "results.md"), "utf8"))}\n\nRe-measured on their own (${only.join(", ")}): ${conditions}`,
          }
        : { rows, conditions };
    writeResults(benchDir, written.rows, written.conditions);
    await renderChart(written.rows, join(benchDir, "results.png"));
    console.log(`\n${markdownTable(rows)}\n\n${conditions}\n\nWritten: bench/results.md, bench/results.json, bench/results.png`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
