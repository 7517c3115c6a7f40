/**
 * `npm run verify -- --primary <region> --secondary <region> [--live] [--json] [--table T] [--endpoint-url U]`
 *
 * Compares every entity kind of the two regions: from the replica table (each region's records), or
 * with --live from both regions' registries and shadows as they are now. Prints counts per kind and a
 * field-level diff of every drifted entity (or the report as JSON with --json).
 * Exit codes: 0 in sync, 1 drift (or a region could not be read), 2 bad arguments.
 */
import { IoTClient } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import { ResultAsync } from "neverthrow";
import { createIotLiveRegionReader } from "../adapters/iot-live-region-reader";
import type { DomainError } from "../domain/shared/errors";
import { describeError } from "../domain/shared/errors";
import { compareRegions, type RegionEntity, type VerifyReport } from "../domain/verification/compare-regions";
import { renderVerifyReport } from "../domain/verification/render-verify-report";
import { clientConfig, runCommand } from "./operator-arguments";
import { readReplicaRegions } from "./replica-regions";
import { parseVerifyArguments, VERIFY_USAGE, type VerifyArguments } from "./verify-arguments";

/** Both regions' entities from the replica table: every kind, each region's own records. */
const fromTable = (args: VerifyArguments): ResultAsync<[RegionEntity[], RegionEntity[]], DomainError> =>
  readReplicaRegions(args).map(({ primary, secondary }): [RegionEntity[], RegionEntity[]] => [primary, secondary]);

/** Both regions' entities as their registries and shadows are now. */
const fromRegistries = (args: VerifyArguments): ResultAsync<[RegionEntity[], RegionEntity[]], DomainError> => {
  const read = (forRegion: string) => {
    const iot = new IoTClient(clientConfig(forRegion, args.endpointUrl));
    const iotData = new IoTDataPlaneClient(clientConfig(forRegion, args.endpointUrl));
    const close = () => {
      iot.destroy();
      iotData.destroy();
    };
    return createIotLiveRegionReader(iot, iotData)
      .readRegion()
      .map((entities) => [...entities])
      .andTee(close)
      .orTee(close);
  };
  return ResultAsync.combine([read(args.primary), read(args.secondary)]).map(([primary, secondary]) => [primary, secondary]);
};

const verifyRegions = (args: VerifyArguments): ResultAsync<VerifyReport, DomainError> =>
  (args.live ? fromRegistries(args) : fromTable(args)).map(([primary, secondary]) =>
    compareRegions(args.primary, args.secondary, primary, secondary),
  );

const main = async (): Promise<number> => {
  const args = parseVerifyArguments(process.argv.slice(2));
  if (args.isErr()) {
    console.error(`verify: ${args.error}\n${VERIFY_USAGE}`);
    return 2;
  }
  const report = await verifyRegions(args.value);
  if (report.isErr()) {
    console.error(
      `verify: could not read ${args.value.live ? "the regions' registries" : `table ${args.value.table}`}: ${describeError(report.error)}`,
    );
    return 1;
  }
  const source = args.value.live ? "live registries and shadows" : `replica table ${args.value.table}`;
  if (args.value.json) console.log(JSON.stringify({ source, ...report.value, inSync: report.value.drifts.length === 0 }, null, 2));
  else for (const line of renderVerifyReport(report.value, source)) console.log(line);
  return report.value.drifts.length === 0 ? 0 : 1;
};

runCommand("verify", main);
