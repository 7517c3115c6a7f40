/**
 * `npm run backfill -- --region us-east-1 [--table IoTFleetRegistryReplica] [--checkpoint file]
 *  [--endpoint-url http://127.0.0.1:4566] [--page-size 100] [--tombstone-ttl-days 30]`
 *
 * Copies the region's existing registry into the replica through the same ordering rule as live
 * capture. After every page it saves a checkpoint; run the same command again to resume there.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IoTClient } from "@aws-sdk/client-iot";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createDynamoDbReplicaStore } from "../adapters/dynamodb-replica-store";
import { createIotRegistrySnapshotReader } from "../adapters/iot-registry-snapshot-reader";
import { backfillRegistry } from "../domain/registry/backfill-registry";

interface Checkpoint {
  readonly region: string;
  readonly snapshotStartedAt: number;
  readonly resumeToken: string | undefined;
}

const { values } = parseArgs({
  options: {
    region: { type: "string" },
    table: { type: "string", default: "IoTFleetRegistryReplica" },
    checkpoint: { type: "string" },
    "endpoint-url": { type: "string" },
    "page-size": { type: "string", default: "100" },
    "tombstone-ttl-days": { type: "string", default: "30" },
  },
});

const region = values.region ?? process.env["AWS_REGION"];
if (!region) {
  console.error("backfill: --region (or AWS_REGION) is required");
  process.exit(2);
}
const checkpointFile = values.checkpoint ?? `.backfill-${region}.json`;
const endpoint = values["endpoint-url"];
const clientConfig = { region, ...(endpoint ? { endpoint } : {}) };

const loadCheckpoint = (): Checkpoint | undefined => {
  if (!existsSync(checkpointFile)) return undefined;
  const saved = JSON.parse(readFileSync(checkpointFile, "utf8")) as Checkpoint;
  if (saved.region !== region) throw new Error(`${checkpointFile} belongs to region ${saved.region}, not ${region}`);
  return saved;
};

const main = async (): Promise<void> => {
  const resumed = loadCheckpoint();
  const snapshotStartedAt = resumed?.snapshotStartedAt ?? Date.now();
  console.log(resumed ? `resuming the backfill of ${region} from ${checkpointFile}` : `backfilling ${region} into ${values.table}`);
  const result = await backfillRegistry({
    reader: createIotRegistrySnapshotReader(new IoTClient(clientConfig), Number(values["page-size"])),
    store: createDynamoDbReplicaStore(new DynamoDBClient(clientConfig), values.table),
    context: { sourceRegion: region, now: Date.now(), tombstoneTtlSeconds: Number(values["tombstone-ttl-days"]) * 86_400 },
    snapshotStartedAt,
    ...(resumed?.resumeToken ? { resumeToken: resumed.resumeToken } : {}),
    onPage: (progress) => {
      writeFileSync(checkpointFile, JSON.stringify({ region, snapshotStartedAt, resumeToken: progress.resumeToken } satisfies Checkpoint));
      console.log(`page ${progress.pages}: ${progress.applied} written, ${progress.stale} already newer, ${progress.rejected.length} rejected`);
    },
  });
  if (result.isErr()) {
    console.error(`backfill stopped: ${result.error.message}. Run the same command again to resume from ${checkpointFile}.`);
    process.exit(1);
  }
  rmSync(checkpointFile, { force: true });
  const { applied, stale, rejected } = result.value;
  console.log(`backfill of ${region} complete: ${applied} records written, ${stale} already newer, ${rejected.length} rejected`);
  for (const reason of rejected) console.error(`rejected: ${reason}`);
  if (rejected.length > 0) process.exit(1);
};

void main();
