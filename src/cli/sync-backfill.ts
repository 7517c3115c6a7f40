/**
 * `npm run sync:backfill -- --source-table MusicCollection --source-region us-east-1 --target-region cn-northwest-1
 *  --state-table <SyncStateTableName> [--target-ak-parameter target_ak --target-sk-parameter target_sk] [--segments 4]
 *  [--rate 100] [--margin-seconds 120] [--checkpoint file] [--endpoint-url ..] [--target-endpoint-url ..]`
 *
 * Copies the items that existed before the sync was deployed: a parallel segmented Scan of the source
 * (strongly consistent), each item written to the target by the writer's own rule, stamped with the
 * scan's start time minus a margin, so that any live change made after the scan began wins over the
 * copy and the copy never moves an item backwards: safe while live changes flow. The scan consumes at
 * most --rate read units per second. After every page a checkpoint is saved; the same command resumes.
 * Exit codes: 0 done, 1 stopped (resume with the same command), 2 bad arguments or checkpoint file.
 */
import type { ResultAsync } from "neverthrow";
import { readKeySchema } from "../adapters/dynamodb-key-schema";
import { createDynamoDbSegmentScanner } from "../adapters/dynamodb-sync-backfill-scan";
import { createDynamoDbSyncWriter } from "../adapters/dynamodb-sync-writer";
import { type DomainError, describeError, isRetryable } from "../domain/shared/errors";
import { applySyncChange } from "../domain/sync/apply-sync-change";
import { type AttributeMap, projectAttributes } from "../domain/sync/sync-item";
import { stampOfBackfill } from "../domain/sync/sync-stamp";
import { runCommand } from "./operator-arguments";
import { parseSyncArguments, SYNC_USAGE, type SyncArguments } from "./sync-arguments";
import { loadSyncCheckpoint, removeSyncCheckpoint, type SyncCheckpoint, saveSyncCheckpoint } from "./sync-backfill-checkpoint";
import { syncClients } from "./sync-clients";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a transient failure (throttling, an outage) with exponential backoff; a permanent one fails at once. */
const withRetries = async <T, E extends DomainError>(attempt: () => ResultAsync<T, E>, tries = 8): Promise<T> => {
  for (let n = 0; ; n += 1) {
    const result = await attempt();
    if (result.isOk()) return result.value;
    if (!isRetryable(result.error) || n + 1 >= tries) throw new Error(describeError(result.error));
    await sleep(Math.min(10_000, 100 * 2 ** n));
  }
};

const ITEMS_IN_FLIGHT = 25;

const run = async (args: SyncArguments): Promise<number> => {
  const resumed = loadSyncCheckpoint(args.checkpointFile, args.sourceTable, args.segments);
  if (resumed.isErr()) {
    console.error(`sync:backfill: ${resumed.error}`);
    return 2;
  }
  const checkpoint: SyncCheckpoint = resumed.value ?? {
    sourceTable: args.sourceTable,
    scanStartedAt: Date.now(),
    segments: Array.from({ length: args.segments }, () => null),
  };
  const clients = syncClients(args);
  const counts = { written: 0, stale: 0 };
  try {
    const keyNames = await withRetries(() => readKeySchema(clients.source, args.sourceTable));
    const writer = createDynamoDbSyncWriter({
      targetClient: clients.target,
      targetTableName: args.targetTable,
      sourceClient: clients.source,
      sourceTableName: args.sourceTable,
      stateTableName: args.stateTable ?? "",
      ...(args.peerStateTable ? { peerStateTableName: args.peerStateTable } : {}),
      stateTtlSeconds: 30 * 86_400,
      projection: { include: args.include, exclude: args.exclude },
    });
    const stamp = stampOfBackfill(args.origin, checkpoint.scanStartedAt, args.marginSeconds * 1000);
    const scan = createDynamoDbSegmentScanner(clients.source, args.sourceTable, args.segments, 100);
    const unitsPerSecondPerSegment = args.rate / args.segments;
    console.log(
      `${resumed.value ? "resuming" : "starting"} the backfill of ${args.sourceTable} into ${args.targetTable} (${args.targetRegion})`,
    );
    const copy = async (item: AttributeMap): Promise<void> => {
      const key = Object.fromEntries(keyNames.map((name) => [name, item[name]]));
      const change = {
        kind: "put" as const,
        key,
        image: projectAttributes(item, key, writer.projection ?? { include: [], exclude: [] }),
        stamp,
      };
      counts[await withRetries(() => applySyncChange(change, writer))] += 1;
    };
    const segment = async (index: number): Promise<void> => {
      let start = checkpoint.segments[index];
      while (start !== "done") {
        const page = await withRetries(() => scan(index, start ?? undefined));
        for (let at = 0; at < page.items.length; at += ITEMS_IN_FLIGHT)
          await Promise.all(page.items.slice(at, at + ITEMS_IN_FLIGHT).map(copy));
        start = page.next ?? "done";
        checkpoint.segments[index] = start;
        saveSyncCheckpoint(args.checkpointFile, checkpoint);
        if (unitsPerSecondPerSegment > 0) await sleep((page.consumedCapacity / unitsPerSecondPerSegment) * 1000);
      }
    };
    await Promise.all(checkpoint.segments.map((_, index) => segment(index)));
    removeSyncCheckpoint(args.checkpointFile);
    console.log(`backfill of ${args.sourceTable} complete: ${counts.written} written, ${counts.stale} already newer in the target`);
    return 0;
  } catch (thrown) {
    console.error(
      `sync:backfill stopped after ${counts.written} written, ${counts.stale} already newer: ${(thrown as Error).message}. ` +
        `Run the same command again to resume from ${args.checkpointFile}.`,
    );
    return 1;
  } finally {
    clients.destroy();
  }
};

const main = async (): Promise<number> => {
  const args = parseSyncArguments(process.argv.slice(2), process.env["AWS_REGION"], true);
  if (args.isErr()) {
    console.error(`sync:backfill: ${args.error}\n${SYNC_USAGE}`);
    return 2;
  }
  return run(args.value);
};

runCommand("sync:backfill", main);
