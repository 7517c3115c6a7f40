/**
 * `npm run backfill -- --region us-east-1 [--table IoTFleetRegistryReplica] [--checkpoint file]
 *  [--endpoint-url http://127.0.0.1:4566] [--page-size 100] [--tombstone-ttl-days 30] [--shadows]`
 *
 * Copies the region's existing registry (things, types, groups and their relations, certificates,
 * policies and their attachments, and with `--shadows` every thing's shadows) into the replica
 * through the same ordering rule as live capture. After every page it saves a checkpoint; run the same command again to resume there.
 * Exit codes: 0 done, 1 stopped or items rejected, 2 bad arguments or checkpoint file.
 */
import { BACKFILL_USAGE, parseBackfillArguments } from "./backfill-arguments";
import { runBackfill } from "./backfill-run";
import { runCommand } from "./operator-arguments";

const main = async (): Promise<number> => {
  const args = parseBackfillArguments(process.argv.slice(2), process.env["AWS_REGION"]);
  if (args.isErr()) {
    console.error(`backfill: ${args.error}\n${BACKFILL_USAGE}`);
    return 2;
  }
  return runBackfill(args.value);
};

runCommand("backfill", main);
