/**
 * `npm run bench` (capture part): throughput of the capture function as deployed (bundled like
 * `sam build`, run like Lambda) against the local cloud's DynamoDB, for fresh events and for the same
 * events delivered again (duplicates must be cheap no-ops). Prints events/s and batch latencies.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { bundleFunction, type EsbuildProperties, LocalFunction, readTemplate, startLocalAws } from "local-cloud";
import { orderingCondition } from "../src/adapters/dynamodb-ordering-condition";
import { parseRegistryEventJson } from "../src/domain/registry/parse-registry-event";
import { toReplicaRecord } from "../src/domain/registry/replica-record";
import { createReplicaTable } from "../tests/support/replica-table";

const EVENTS = Number(process.env["BENCH_EVENTS"] ?? 2000);
const BATCH = 25;
const root = join(__dirname, "..");

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** The pure part of a capture (parse, map, build the condition), to show where the time goes. */
const benchDomain = (body: string): void => {
  const runs = 100_000;
  const context = { sourceRegion: "us-east-1", now: Date.now(), tombstoneTtlSeconds: 86_400 };
  const startedAt = process.hrtime.bigint();
  for (let i = 0; i < runs; i += 1) {
    const record = parseRegistryEventJson(body)
      .andThen((event) => toReplicaRecord(event, context))
      ._unsafeUnwrap();
    orderingCondition(record.stamp);
  }
  const nanos = Number(process.hrtime.bigint() - startedAt);
  console.log(
    `domain only (parse + map + condition): ${(runs / (nanos / 1e9)).toFixed(0)} events/s, ${(nanos / runs / 1000).toFixed(1)} µs per event`,
  );
};

const main = async (): Promise<void> => {
  benchDomain(JSON.parse(readFileSync(join(root, "events", "capture-thing-created.json"), "utf8")).Records[0].body as string);
  const local = await startLocalAws({ port: 0, mqttBasePort: 0, regions: ["us-east-1"] });
  const outdir = mkdtempSync(join(tmpdir(), "bench-capture-"));
  const config = { region: "us-east-1", endpoint: local.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } };
  const dynamodb = new DynamoDBClient(config);
  const sqs = new SQSClient(config);
  try {
    await createReplicaTable(dynamodb, "BenchReplica");
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "bench-dlq" }));
    const resource = readTemplate(join(root, "template.yaml")).Resources["CaptureRegistryEventFunction"];
    const [bundlePath] = await bundleFunction(root, resource?.Metadata?.["BuildProperties"] as EsbuildProperties, outdir);
    const fn = new LocalFunction({
      functionName: "bench-capture",
      region: "us-east-1",
      bundlePath: bundlePath as string,
      exportName: "handler",
      timeoutSeconds: 30,
      memorySize: 256,
      environment: {
        REPLICA_TABLE_NAME: "BenchReplica",
        CAPTURE_DLQ_URL: QueueUrl ?? "",
        TOMBSTONE_TTL_DAYS: "30",
        POWERTOOLS_LOG_LEVEL: "ERROR",
      },
      endpointUrl: local.url,
    });
    const template = JSON.parse(readFileSync(join(root, "events", "capture-thing-created.json"), "utf8")) as SQSEvent;
    const record = template.Records[0] as SQSRecord;
    const base = JSON.parse(record.body) as Record<string, unknown>;
    const batches: SQSEvent[] = [];
    for (let i = 0; i < EVENTS; i += BATCH) {
      batches.push({
        Records: Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, j) => ({
          ...record,
          messageId: `m-${i + j}`,
          body: JSON.stringify({
            ...base,
            thingName: `bench-${(i + j) % 500}`,
            thingId: `id-${(i + j) % 500}`,
            versionNumber: Math.floor((i + j) / 500) + 1,
            eventId: `e-${i + j}`,
            timestamp: 1_000 + i + j,
          }),
        })),
      });
    }
    await fn.invoke({ Records: [] }); // cold start outside the measurement
    for (const label of ["fresh events", "the same events again (duplicates)"]) {
      const latencies: number[] = [];
      const startedAt = Date.now();
      for (const batch of batches) {
        const outcome = await fn.invoke(batch);
        if (!outcome.ok || (outcome.result as { batchItemFailures: unknown[] }).batchItemFailures.length > 0)
          throw new Error(`batch failed: ${JSON.stringify(outcome)}`);
        latencies.push(outcome.durationMs);
      }
      const seconds = (Date.now() - startedAt) / 1000;
      console.log(
        `capture, ${label}: ${EVENTS} events in ${seconds.toFixed(2)} s = ${(EVENTS / seconds).toFixed(0)} events/s; batch of ${BATCH}: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`,
      );
    }
    await fn.close();
  } finally {
    dynamodb.destroy();
    sqs.destroy();
    rmSync(outdir, { recursive: true, force: true });
    await local.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
