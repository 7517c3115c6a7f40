import { AwsError, notImplemented } from "../endpoint/aws-error";
import type { GlobalTableReplicator } from "./global-table-replicator";

/** One element of UpdateTable's `ReplicaUpdates` (global tables version 2019.11.21). */
interface ReplicationGroupUpdate {
  readonly Create?: { readonly RegionName?: string };
  readonly Update?: { readonly RegionName?: string };
  readonly Delete?: { readonly RegionName?: string };
}

const regionNameOf = (action: { readonly RegionName?: string }): string => {
  if (typeof action.RegionName !== "string" || action.RegionName.length === 0) {
    throw new AwsError(
      "ValidationException",
      "1 validation error detected: Value null at 'replicaUpdates.member.regionName' failed to satisfy constraint: Member must not be null",
    );
  }
  return action.RegionName;
};

/**
 * Applies the replica part of an UpdateTable request, in order, the way AWS does for a table in
 * `callerRegion`: Create adds a replica region (table, items, replication), Delete removes one.
 */
export const applyReplicaUpdates = async (
  replicator: GlobalTableReplicator,
  callerRegion: string,
  tableName: string,
  updates: unknown,
): Promise<void> => {
  if (!Array.isArray(updates) || updates.length === 0) {
    throw new AwsError("ValidationException", "ReplicaUpdates must contain at least one replica update action.");
  }
  for (const update of updates as ReplicationGroupUpdate[]) {
    if (update.Create) await replicator.addReplica(tableName, callerRegion, regionNameOf(update.Create), { adoptExisting: false });
    else if (update.Delete) await replicator.removeReplica(tableName, regionNameOf(update.Delete));
    else if (update.Update) throw notImplemented("dynamodb", "UpdateTable ReplicaUpdates.Update");
    else throw new AwsError("ValidationException", "Each replica update must contain one of Create, Update or Delete.");
  }
};

/** What DescribeTable adds for a global table: every replica, and the global tables version. */
export const withReplicas = (table: Record<string, unknown>, regions: readonly string[]): Record<string, unknown> => ({
  ...table,
  GlobalTableVersion: "2019.11.21",
  Replicas: regions.map((region) => ({ RegionName: region, ReplicaStatus: "ACTIVE" })),
});
