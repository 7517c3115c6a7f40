/**
 * `npm run status -- --primary <region> --secondary <region> [--last 1000] [--json] [--stack S] [--dlq-url U]...
 *  [--table T] [--endpoint-url U]`
 *
 * How far the secondary is behind: replication lag (p50/p99 over the last N primary changes, from the
 * replica table alone), the backlog of primary changes it has not caught up with, and the depth of the
 * stack's dead-letter queues in the secondary, table sync's backlog, and a bootstrap's progress and
 * ETA. Exit codes: 0 read, 1 something could not be read, 2 bad arguments.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createDynamoDbBootstrapProgress } from "../adapters/dynamodb-bootstrap-progress";
import { readDeadLetterDepths } from "../adapters/sqs-dead-letter-depths";
import { readSyncQueueDepths } from "../adapters/sqs-sync-queue-depths";
import { estimateBootstrap } from "../domain/recovery/bootstrap-plan";
import { describeError } from "../domain/shared/errors";
import { replicationStatus } from "../domain/verification/replication-status";
import { bootstrapLines } from "./bootstrap-progress-lines";
import { clientConfig, runCommand } from "./operator-arguments";
import { readReplicaRegions } from "./replica-regions";
import { stackResource } from "./stack-resource";
import { parseStatusArguments, STATUS_USAGE, type StatusArguments } from "./status-arguments";

/** One section of the status: its lines for people, its data for --json, or why it could not be read. */
export interface StatusSection {
  readonly name: string;
  readonly lines: readonly string[];
  readonly data: unknown;
  readonly failed?: string;
}

/**
 * The sections `status` prints, in order. This list is the extension point: table sync (when a
 * stack forwards a table elsewhere) adds a probe here for its own lag and queues, built from its own
 * adapters, and status prints it like the others.
 */
export type StatusProbe = (args: StatusArguments, now: number) => Promise<StatusSection>;

const ms = (value: number | undefined): string =>
  value === undefined ? "-" : value < 10_000 ? `${value} ms` : `${(value / 1000).toFixed(1)} s`;

const replication: StatusProbe = async (args, now) => {
  const records = await readReplicaRegions(args);
  if (records.isErr()) return { name: "replication", lines: [], data: null, failed: describeError(records.error) };
  const status = replicationStatus(records.value.primary, records.value.secondary, now, args.last);
  const { lag, backlog } = status;
  return {
    name: "replication",
    data: status,
    lines: [
      `lag ${args.primary} -> ${args.secondary}: p50 ${ms(lag.p50Ms)}, p99 ${ms(lag.p99Ms)}, max ${ms(lag.maxMs)} over the last ${lag.samples} changes (primary event to secondary capture)`,
      backlog.count === 0
        ? `backlog: none (every primary change is in ${args.secondary})`
        : `backlog: ${backlog.count} primary changes not yet in ${args.secondary}, oldest ${ms(backlog.oldestAgeMs)} ago: ${backlog.oldest.join(", ")}${backlog.count > backlog.oldest.length ? ", ..." : ""}`,
    ],
  };
};

const deadLetters: StatusProbe = async (args) => {
  const sqs = new SQSClient(clientConfig(args.secondary, args.endpointUrl));
  try {
    const depths = await readDeadLetterDepths(sqs, args.stack, args.dlqUrls);
    if (depths.isErr()) return { name: "deadLetterQueues", lines: [], data: null, failed: describeError(depths.error) };
    return {
      name: "deadLetterQueues",
      data: depths.value,
      lines:
        depths.value.length === 0
          ? [`dead-letter queues in ${args.secondary}: none found under ${args.stack}- (pass --dlq-url)`]
          : [
              `dead-letter queues in ${args.secondary}:`,
              ...depths.value.map((queue) => `  ${queue.queueName}: ${queue.visible} waiting, ${queue.inFlight} in flight`),
            ],
    };
  } finally {
    sqs.destroy();
  }
};

/**
 * Table sync, in each of the two regions whose stack has it (its queues exist): the backlog (the FIFO
 * queue: waiting, being written, delayed) and the dead-letter queues. SQS gives no message ages, so the
 * lag in time is the writer's SyncLagSeconds metric (SyncLagAlarm); here it is "caught up" or the backlog.
 */
const tableSync: StatusProbe = async (args) => {
  const read = async (region: string) => {
    const sqs = new SQSClient(clientConfig(region, args.endpointUrl));
    try {
      return await readSyncQueueDepths(sqs, region, args.stack);
    } finally {
      sqs.destroy();
    }
  };
  const results = await Promise.all([args.primary, args.secondary].map(read));
  const failed = results.find((result) => result.isErr());
  if (failed?.isErr()) return { name: "tableSync", lines: [], data: null, failed: describeError(failed.error) };
  const sides = results.flatMap((result) => (result.isOk() && result.value.queues.length > 0 ? [result.value] : []));
  const lines = sides.flatMap(({ region, queues }) => {
    const backlog = queues.find((queue) => queue.logicalId === "SyncQueue");
    const waiting = backlog ? backlog.visible + backlog.inFlight + backlog.delayed : 0;
    return [
      `table sync from ${region}: lag ${waiting === 0 ? "none (caught up: nothing waiting)" : `${waiting} changes behind (SyncLagSeconds gives the time)`}`,
      `  backlog (SyncQueue): ${backlog ? `${backlog.visible} waiting, ${backlog.inFlight} being written, ${backlog.delayed} delayed` : "queue not found"}`,
      ...queues
        .filter((queue) => queue.logicalId !== "SyncQueue")
        .map((queue) => `  ${queue.logicalId}: ${queue.visible} waiting, ${queue.inFlight} in flight`),
    ];
  });
  return { name: "tableSync", data: sides, lines };
};

/** A bootstrap of the secondary (`npm run bootstrap`): progress per kind, rate and ETA; nothing when none was ever started. */
const bootstrap: StatusProbe = async (args, now) => {
  const table = stackResource(args, args.secondary, {
    output: "SweepCheckpointTableName",
    logicalId: "SweepCheckpointTable",
    kind: "table",
  });
  if ("reason" in table) return { name: "bootstrap", lines: [], data: null, failed: table.reason };
  const dynamodb = new DynamoDBClient(clientConfig(args.secondary, args.endpointUrl));
  try {
    const job = await createDynamoDbBootstrapProgress(dynamodb, table.name, args.secondary).load();
    // No checkpoint table (no stack deployed there yet) means no bootstrap either: nothing to show.
    const noTable = job.isErr() && "cause" in job.error && (job.error.cause as Error | undefined)?.name === "ResourceNotFoundException";
    if (noTable) return { name: "bootstrap", lines: [], data: null };
    if (job.isErr()) return { name: "bootstrap", lines: [], data: null, failed: describeError(job.error) };
    // Shown only when there is one: most secondaries never need a bootstrap.
    if (job.value === undefined) return { name: "bootstrap", lines: [], data: null };
    return {
      name: "bootstrap",
      lines: bootstrapLines(args.secondary, job.value, now),
      data: { ...job.value, estimate: estimateBootstrap(job.value, now) },
    };
  } finally {
    dynamodb.destroy();
  }
};

const PROBES: readonly StatusProbe[] = [replication, deadLetters, tableSync, bootstrap];

const main = async (): Promise<number> => {
  const args = parseStatusArguments(process.argv.slice(2));
  if (args.isErr()) {
    console.error(`status: ${args.error}\n${STATUS_USAGE}`);
    return 2;
  }
  const now = Date.now();
  const sections = await Promise.all(PROBES.map((probe) => probe(args.value, now)));
  if (args.value.json) {
    const out = Object.fromEntries(sections.map((section) => [section.name, section.failed ? { failed: section.failed } : section.data]));
    console.log(JSON.stringify({ primary: args.value.primary, secondary: args.value.secondary, ...out }, null, 2));
  } else {
    console.log(`status ${args.value.primary} -> ${args.value.secondary} (table ${args.value.table}, stack ${args.value.stack})`);
    for (const section of sections) {
      if (section.failed) console.error(`${section.name}: could not be read: ${section.failed}`);
      else for (const line of section.lines) console.log(line);
    }
  }
  return sections.some((section) => section.failed) ? 1 : 0;
};

runCommand("status", main);
