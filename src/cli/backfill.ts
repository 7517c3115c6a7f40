/**
 * `npm run backfill -- --region us-east-1 [--table IoTFleetRegistryReplica] [--checkpoint file]
 *  [--endpoint-url http://127.0.0.1:4566] [--page-size 100] [--tombstone-ttl-days 30] [--shadows]`
 *
 * Copies the region's existing registry (things, types, groups and their relations, certificates,
 * policies and their attachments, and with `--shadows` every thing's shadows) into the replica
 * through the same ordering rule as live capture. After every page it saves a checkpoint; run the same command again to resume there.
 * Exit codes: 0 done, 1 stopped or items rejected, 2 bad arguments or checkpoint file.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IoTClient } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import { createDynamoDbReplicaStore } from "../adapters/dynamodb-replica-store";
import { createIotRegistrySnapshotReader } from "../adapters/iot-registry-snapshot-reader";
import { type BackfillProgress, backfillRegistry, type PageCounts } from "../domain/registry/backfill-registry";
import { type DomainError, describeError, isRetryable } from "../domain/shared/errors";
import { BACKFILL_USAGE, type BackfillArguments, parseBackfillArguments } from "./backfill-arguments";
import { checkpointExists, loadCheckpoint, removeCheckpoint, saveCheckpoint } from "./backfill-checkpoint";
import { runCommand } from "./operator-arguments";

const counts = (c: PageCounts): string => `${c.stored} stored, ${c.stale} already newer, ${c.rejected} rejected`;
const pageLine = (progress: BackfillProgress): string =>
  `page ${progress.pages}: ${counts(progress.lastPage)} (so far: ${counts(progress.total)})`;

/** What the operator can do next: resume only from a checkpoint that exists, and never retry what cannot pass. */
const nextStep = (error: DomainError, args: BackfillArguments): string => {
  if (error.kind === "InvalidEvent" && error.field === "resumeToken") {
    return `The resume token comes from ${args.checkpointFile}: delete that file to start the backfill over.`;
  }
  if (!isRetryable(error)) return "Running it again will fail the same way until the cause is fixed.";
  return checkpointExists(args.checkpointFile)
    ? `Run the same command again to resume from ${args.checkpointFile}.`
    : "There is no checkpoint to resume from: run the same command again to start over.";
};

const run = async (args: BackfillArguments): Promise<number> => {
  const resumed = loadCheckpoint(args.checkpointFile, args.region);
  if (resumed.isErr()) {
    console.error(`backfill: ${resumed.error}`);
    return 2;
  }
  const snapshotStartedAt = resumed.value?.snapshotStartedAt ?? Date.now();
  console.log(
    resumed.value ? `resuming the backfill of ${args.region} from ${args.checkpointFile}` : `backfilling ${args.region} into ${args.table}`,
  );
  const clientConfig = { region: args.region, ...(args.endpointUrl ? { endpoint: args.endpointUrl } : {}) };
  const iot = new IoTClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  const iotData = args.shadows ? new IoTDataPlaneClient(clientConfig) : undefined;
  try {
    const result = await backfillRegistry({
      reader: createIotRegistrySnapshotReader(iot, args.pageSize, iotData ? async () => iotData : undefined),
      store: createDynamoDbReplicaStore(dynamodb, args.table),
      context: { sourceRegion: args.region, now: Date.now(), tombstoneTtlSeconds: args.tombstoneTtlDays * 86_400 },
      snapshotStartedAt,
      ...(resumed.value?.resumeToken ? { resumeToken: resumed.value.resumeToken } : {}),
      onPage: (progress) =>
        saveCheckpoint(args.checkpointFile, { region: args.region, snapshotStartedAt, resumeToken: progress.resumeToken }).map(() =>
          console.log(pageLine(progress)),
        ),
    });
    if (result.isErr()) {
      console.error(`backfill stopped: ${describeError(result.error)}. ${nextStep(result.error, args)}`);
      return 1;
    }
    removeCheckpoint(args.checkpointFile);
    console.log(`backfill of ${args.region} complete: ${counts(result.value.total)}`);
    for (const reason of result.value.rejected) console.error(`rejected: ${reason}`);
    return result.value.rejected.length > 0 ? 1 : 0;
  } finally {
    iot.destroy();
    dynamodb.destroy();
    iotData?.destroy();
  }
};

const main = async (): Promise<number> => {
  const args = parseBackfillArguments(process.argv.slice(2), process.env["AWS_REGION"]);
  if (args.isErr()) {
    console.error(`backfill: ${args.error}\n${BACKFILL_USAGE}`);
    return 2;
  }
  return run(args.value);
};

runCommand("backfill", main);
