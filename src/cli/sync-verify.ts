/**
 * `npm run sync:verify -- --source-table MusicCollection --source-region us-east-1 --target-region cn-northwest-1
 *  [--target-table ..] [--target-ak-parameter target_ak --target-sk-parameter target_sk] [--segments 4]
 *  [--include a,b] [--exclude c] [--endpoint-url ..] [--target-endpoint-url ..]`
 *
 * Compares the source and the target: first the item counts, then item by item by key with a
 * fingerprint of the data (the sync's metadata left out, the include/exclude lists applied to both).
 * Prints the differences (the first 20 of each kind) and exits 1 when there is any, 0 when none,
 * 2 on bad arguments. Run it when the sync is quiet: a change in flight shows as a difference.
 */
import { readKeySchema } from "../adapters/dynamodb-key-schema";
import { createDynamoDbSegmentScanner } from "../adapters/dynamodb-sync-backfill-scan";
import { describeError } from "../domain/shared/errors";
import { type AttributeProjection, canonicalKey, itemFingerprint, projectAttributes } from "../domain/sync/sync-item";
import { runCommand } from "./operator-arguments";
import { parseSyncArguments, SYNC_USAGE, type SyncArguments } from "./sync-arguments";
import { syncClients } from "./sync-clients";

type Scanner = ReturnType<typeof createDynamoDbSegmentScanner>;

/** key -> fingerprint of every item of a table, all segments scanned side by side. */
const fingerprints = async (scan: Scanner, segments: number, keyNames: readonly string[], projection: AttributeProjection) => {
  const result = new Map<string, string>();
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: string | undefined;
      do {
        const page = await scan(segment, start);
        if (page.isErr()) throw new Error(describeError(page.error));
        for (const item of page.value.items) {
          const key = Object.fromEntries(keyNames.map((name) => [name, item[name]]));
          result.set(canonicalKey(key), itemFingerprint(projectAttributes(item, key, projection)));
        }
        start = page.value.next;
      } while (start !== undefined);
    }),
  );
  return result;
};

const run = async (args: SyncArguments): Promise<number> => {
  const clients = syncClients(args);
  try {
    const keyNames = await readKeySchema(clients.source, args.sourceTable);
    if (keyNames.isErr()) throw new Error(describeError(keyNames.error));
    const projection = { include: args.include, exclude: args.exclude };
    const [source, target] = await Promise.all([
      fingerprints(
        createDynamoDbSegmentScanner(clients.source, args.sourceTable, args.segments, 1000),
        args.segments,
        keyNames.value,
        projection,
      ),
      fingerprints(
        createDynamoDbSegmentScanner(clients.target, args.targetTable, args.segments, 1000),
        args.segments,
        keyNames.value,
        projection,
      ),
    ]);
    console.log(
      `source ${args.sourceTable} (${args.sourceRegion}): ${source.size} items; target ${args.targetTable} (${args.targetRegion}): ${target.size} items`,
    );
    const missing = [...source.keys()].filter((key) => !target.has(key));
    const extra = [...target.keys()].filter((key) => !source.has(key));
    const different = [...source.keys()].filter((key) => target.has(key) && target.get(key) !== source.get(key));
    for (const [label, keys] of [
      ["missing in the target", missing],
      ["only in the target", extra],
      ["different", different],
    ] as const) {
      if (keys.length === 0) continue;
      console.log(`${keys.length} ${label}:`);
      for (const key of keys.slice(0, 20)) console.log(`  ${key}`);
    }
    const differences = missing.length + extra.length + different.length;
    console.log(differences === 0 ? "no difference" : `${differences} differences`);
    return differences === 0 ? 0 : 1;
  } finally {
    clients.destroy();
  }
};

const main = async (): Promise<number> => {
  const args = parseSyncArguments(process.argv.slice(2), process.env["AWS_REGION"], false);
  if (args.isErr()) {
    console.error(`sync:verify: ${args.error}\n${SYNC_USAGE}`);
    return 2;
  }
  return run(args.value);
};

runCommand("sync:verify", main);
