/**
 * `npm run bootstrap -- --primary us-east-1 --secondary us-west-2 [--shadows] [--no-snapshot] [--restart] [--no-wait]`
 *
 * Brings a new secondary region's registry, certificates, policies and shadows to the primary's:
 * 1. snapshots the primary into the replica table (the backfill, resumable from its checkpoint file,
 *    paced at --quota-share of the primary's read quotas), marking its records as this bulk load so
 *    that the secondaries' stream appliers leave them to the bootstrap;
 * 2. starts each secondary's BootstrapSecondaryFunction on the primary's records, kind by kind (a
 *    bootstrap already under way there is resumed unless --restart), which applies them at the IoT
 *    APIs' budgets behind live changes;
 * 3. follows the progress with an ETA until every secondary is done (also in `npm run status`).
 * Exit codes: 0 done (or started, with --no-wait), 1 a step failed or records were parked, 2 bad arguments.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { createDynamoDbBootstrapProgress } from "../adapters/dynamodb-bootstrap-progress";
import { createDynamoDbPrimaryRecordPages } from "../adapters/dynamodb-primary-record-pages";
import { iotApiBudgets } from "../domain/pacing/iot-api-quotas";
import { BACKLOG, createPacer, inProcessSchedules } from "../domain/pacing/pacer";
import { BOOTSTRAP_WAVES, type BootstrapJob } from "../domain/recovery/bootstrap-plan";
import { describeError } from "../domain/shared/errors";
import { runBackfill } from "./backfill-run";
import { BOOTSTRAP_USAGE, type BootstrapArguments, parseBootstrapArguments } from "./bootstrap-arguments";
import { bootstrapLines } from "./bootstrap-progress-lines";
import { clientConfig, runCommand } from "./operator-arguments";
import { stackResource } from "./stack-resource";

const POLL_MS = 5_000;

const snapshot = async (args: BootstrapArguments): Promise<number> => {
  const budgets = iotApiBudgets(args.quotaShare, args.quotaOverrides);
  if (budgets.isErr()) {
    console.error(`bootstrap: --quota-overrides: ${describeError(budgets.error)}`);
    return 2;
  }
  const pace = createPacer({
    schedules: inProcessSchedules(),
    budgets: budgets.value,
    priority: BACKLOG,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  console.log(`snapshot of ${args.primary} into ${args.table}, paced at ${args.quotaShare} of its read quotas`);
  return runBackfill(
    {
      region: args.primary,
      table: args.table,
      checkpointFile: args.checkpointFile,
      endpointUrl: args.endpointUrl,
      pageSize: 100,
      tombstoneTtlDays: 30,
      shadows: args.shadows,
    },
    { bulkLoadId: `bootstrap-${args.primary}`, pace },
  );
};

/** How many of the primary's records of each kind a table region holds. */
type Counted = { readonly counts: ReadonlyMap<string, number> } | { readonly failed: string };

const countKinds = async (args: BootstrapArguments, tableRegion: string): Promise<Counted> => {
  const dynamodb = new DynamoDBClient(clientConfig(tableRegion, args.endpointUrl));
  try {
    const pages = createDynamoDbPrimaryRecordPages(dynamodb, args.table, args.primary);
    const counts = new Map<string, number>();
    for (const entityType of BOOTSTRAP_WAVES.flat()) {
      const total = await pages.count(entityType);
      if (total.isErr()) return { failed: describeError(total.error) };
      counts.set(entityType, total.value);
    }
    return { counts };
  } finally {
    dynamodb.destroy();
  }
};

const REPLICATION_WAIT_MS = 600_000;

/**
 * The primary's records per kind as the primary's own table holds them, once the secondary's replica
 * holds at least as many: the bootstrap lists the secondary's replica, and a record the global table
 * had not replicated yet when its kind was listed would be missed.
 */
const primaryTotals = async (args: BootstrapArguments, secondary: string): Promise<Counted> => {
  const source = await countKinds(args, args.primary);
  if ("failed" in source) return source;
  const deadline = Date.now() + REPLICATION_WAIT_MS;
  for (;;) {
    const replica = await countKinds(args, secondary);
    if (!("counts" in replica)) return replica;
    const behind = [...source.counts].filter(([kind, count]) => (replica.counts.get(kind) ?? 0) < count);
    if (behind.length === 0) return source;
    if (Date.now() > deadline)
      return { failed: `the replica in ${secondary} is still behind the primary's table: ${behind.map(([kind]) => kind).join(", ")}` };
    console.log(
      `${secondary}: waiting for the global table to replicate the snapshot (${behind.map(([kind, count]) => `${kind} ${replica.counts.get(kind) ?? 0}/${count}`).join(", ")})`,
    );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
};

/** Starts (or resumes) the apply phase in one secondary; the progress store to follow it with, or why it could not. */
const start = async (args: BootstrapArguments, secondary: string) => {
  const checkpointTable = stackResource(args, secondary, {
    output: "SweepCheckpointTableName",
    logicalId: "SweepCheckpointTable",
    kind: "table",
  });
  const bootstrapFunction = stackResource(args, secondary, {
    output: "BootstrapSecondaryFunctionArn",
    logicalId: "BootstrapSecondaryFunction",
    kind: "function",
  });
  if ("reason" in checkpointTable) return { failed: checkpointTable.reason };
  if ("reason" in bootstrapFunction) return { failed: bootstrapFunction.reason };
  const dynamodb = new DynamoDBClient(clientConfig(secondary, args.endpointUrl));
  const progress = createDynamoDbBootstrapProgress(dynamodb, checkpointTable.name, secondary);
  const existing = await progress.load();
  if (existing.isErr()) return { failed: describeError(existing.error) };
  if (existing.value && existing.value.finishedAt === undefined && !args.restart) {
    console.log(`${secondary}: resuming the bootstrap started ${new Date(existing.value.startedAt).toISOString()}`);
  } else {
    const totals = await primaryTotals(args, secondary);
    if ("failed" in totals) return { failed: totals.failed };
    const kinds = BOOTSTRAP_WAVES.flat().map((entityType) => ({
      entityType,
      total: totals.counts.get(entityType) ?? 0,
      done: false,
      applied: 0,
      unchanged: 0,
      parked: 0,
    }));
    const job: BootstrapJob = { bulkLoadId: `bootstrap-${args.primary}`, primaryRegion: args.primary, startedAt: Date.now(), kinds };
    const started = await progress.start(job);
    if (started.isErr()) return { failed: describeError(started.error) };
    console.log(`${secondary}: bootstrap of ${kinds.reduce((sum, kind) => sum + kind.total, 0)} primary records started`);
  }
  const lambda = new LambdaClient(clientConfig(secondary, args.endpointUrl));
  try {
    // The schedule starts a run within a minute anyway; this one starts it now.
    await lambda.send(
      new InvokeCommand({ FunctionName: bootstrapFunction.name, InvocationType: "Event", Payload: new TextEncoder().encode("{}") }),
    );
  } catch (error) {
    return { failed: `invoking ${bootstrapFunction.name}: ${(error as Error).message}` };
  } finally {
    lambda.destroy();
  }
  return { progress };
};

const run = async (args: BootstrapArguments): Promise<number> => {
  if (args.snapshot) {
    const code = await snapshot(args);
    if (code !== 0) {
      console.error("bootstrap: the snapshot did not complete; run the same command again to resume it");
      return 1;
    }
  }
  const followed = [];
  for (const secondary of args.secondaries) {
    const started = await start(args, secondary);
    if ("failed" in started) {
      console.error(`bootstrap: ${secondary}: ${started.failed}`);
      return 1;
    }
    followed.push({ secondary, progress: started.progress });
  }
  if (!args.wait) {
    console.log(`started; follow it with npm run status -- --primary ${args.primary} --secondary ${args.secondaries[0]}`);
    return 0;
  }
  for (;;) {
    let finished = 0;
    let parked = 0;
    for (const { secondary, progress } of followed) {
      const job = await progress.load();
      if (job.isErr()) {
        console.error(`bootstrap: ${secondary}: progress unreadable: ${describeError(job.error)}`);
        continue;
      }
      if (!job.value) continue;
      console.log(bootstrapLines(secondary, job.value, Date.now())[0]);
      if (job.value.finishedAt !== undefined) finished += 1;
      parked += job.value.kinds.reduce((sum, kind) => sum + kind.parked, 0);
    }
    if (finished === followed.length) {
      if (parked > 0) console.error(`bootstrap: ${parked} records were parked with their reason in the ApplyDeadLetterQueue`);
      return parked > 0 ? 1 : 0;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
};

const main = async (): Promise<number> => {
  const args = parseBootstrapArguments(process.argv.slice(2));
  if (args.isErr()) {
    console.error(`bootstrap: ${args.error}\n${BOOTSTRAP_USAGE}`);
    return 2;
  }
  return run(args.value);
};

runCommand("bootstrap", main);
