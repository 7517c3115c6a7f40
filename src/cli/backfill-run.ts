import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IoTClient } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import { pacedClient } from "../adapters/aws-call-pacing";
import { createDynamoDbReplicaStore } from "../adapters/dynamodb-replica-store";
import { createIotRegistrySnapshotReader } from "../adapters/iot-registry-snapshot-reader";
import type { Pace } from "../domain/pacing/pacer";
import { type BackfillProgress, backfillRegistry, type PageCounts } from "../domain/registry/backfill-registry";
import { type DomainError, describeError, isRetryable } from "../domain/shared/errors";
import type { BackfillArguments } from "./backfill-arguments";
import { checkpointExists, loadCheckpoint, removeCheckpoint, saveCheckpoint } from "./backfill-checkpoint";

/** What a bootstrap adds to a backfill: its records are marked as its bulk load, and its IoT calls are paced. */
export interface BackfillExtras {
  readonly bulkLoadId?: string;
  readonly pace?: Pace;
}

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

/** Runs (or resumes) a backfill of one region; the exit code the command ends with. */
export const runBackfill = async (args: BackfillArguments, extras: BackfillExtras = {}): Promise<number> => {
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
  const paced = <C extends object>(client: C): C => (extras.pace ? pacedClient(client, extras.pace) : client);
  const iot = paced(new IoTClient(clientConfig));
  const dynamodb = new DynamoDBClient(clientConfig);
  const iotData = args.shadows ? paced(new IoTDataPlaneClient(clientConfig)) : undefined;
  try {
    const result = await backfillRegistry({
      reader: createIotRegistrySnapshotReader(iot, args.pageSize, iotData ? async () => iotData : undefined),
      store: createDynamoDbReplicaStore(dynamodb, args.table, extras.bulkLoadId ? { bulkLoadId: extras.bulkLoadId } : {}),
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
