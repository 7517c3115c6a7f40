import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SyncWriter } from "../domain/sync/apply-sync-change";
import type { AttributeProjection } from "../domain/sync/sync-item";
import { createDynamoDbSyncState } from "./dynamodb-sync-state";
import { createDynamoDbSyncTarget } from "./dynamodb-sync-table";

export interface DynamoDbSyncWriterOptions {
  /** The client of the target partition/account (credentials from SSM or an assumed role). */
  readonly targetClient: DynamoDBClient;
  readonly targetTableName: string;
  /** The client of the source side (the function's own role): the source table and, one-way, the state table. */
  readonly sourceClient: DynamoDBClient;
  readonly sourceTableName: string;
  /** This stack's sync-state table (one-way: the target's tombstones live here). */
  readonly stateTableName: string;
  /** Two-way: the target side's stack's state table, reached with the target client; it holds the target's tombstones. */
  readonly peerStateTableName?: string;
  readonly stateTtlSeconds: number;
  readonly projection: AttributeProjection;
}

/**
 * The writer's adapters, composed once: what the FIFO writer, the backfill and a bench all apply
 * changes with (`applySyncChange(change, writer)`). The tombstones of a table live with the stack on
 * that table's side: one-way there is only this stack; two-way the target side's stack holds them,
 * which its own forwarder also writes when it re-asserts a local delete.
 */
export const createDynamoDbSyncWriter = (options: DynamoDbSyncWriterOptions): SyncWriter => {
  const twoWay = options.peerStateTableName !== undefined;
  return {
    target: createDynamoDbSyncTarget(options.targetClient, options.targetTableName),
    tombstones: twoWay
      ? createDynamoDbSyncState(options.targetClient, options.peerStateTableName ?? "", options.stateTtlSeconds)
      : createDynamoDbSyncState(options.sourceClient, options.stateTableName, options.stateTtlSeconds),
    source: createDynamoDbSyncTarget(options.sourceClient, options.sourceTableName),
    projection: options.projection,
    twoWay,
  };
};
