import { DeleteItemCommand, DeleteTableCommand, PutItemCommand, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { ResourceNotFoundException as StreamResourceNotFound } from "@aws-sdk/client-dynamodb-streams";
import { AwsError } from "../endpoint/aws-error";
import type { DynamoDbLocalClients } from "./dynamodb-local-clients";
import { imageFingerprint, keyOf } from "./item-fingerprint";
import { ReplicaConvergence, type ReplicaWrite } from "./replica-convergence";
import { assertReplicable, createReplicaTable, describeTableIn, scanItems } from "./replica-table-creation";
import { type ChangeRecord, StreamReader } from "./stream-reader";

/** One global table: the same table name in several regions, kept equal by the replicator. */
interface ReplicationGroup {
  readonly tableName: string;
  readonly keyAttributeNames: readonly string[];
  readonly readers: Map<string, StreamReader>;
  readonly convergence: ReplicaConvergence;
}

export interface AddReplicaOptions {
  /** Join a table that already exists in the target region instead of refusing (template deploys). */
  readonly adoptExisting: boolean;
}

export interface GlobalTableReplicatorOptions {
  readonly pollIntervalMs?: number;
}

const memberId = (region: string, tableName: string): string => `${region}\u0000${tableName}`;

/** Replica writes sent at once in a poll cycle (each to a different key or region). */
const WRITES_IN_FLIGHT = 16;

/**
 * Global tables (version 2019.11.21) for DynamoDB Local, which has none: replicas are ordinary
 * tables in other regions, and a poll loop reads every replica's stream and converges the others
 * (last writer wins). Everything that touches group membership or replica state runs on one serial
 * queue with the poll cycles, so a replica being created never races the records being applied.
 */
export class GlobalTableReplicator {
  private readonly members = new Map<string, ReplicationGroup>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private cycle = 0;
  private readonly cycleListeners = new Set<(quiet: boolean, error: unknown) => void>();
  private readonly pollIntervalMs: number;

  constructor(
    private readonly clients: DynamoDbLocalClients,
    options: GlobalTableReplicatorOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.schedule();
  }

  /** Regions of the global table that `tableName` in `region` belongs to, or undefined when it is not global. */
  replicaRegions(region: string, tableName: string): string[] | undefined {
    const group = this.members.get(memberId(region, tableName));
    return group ? [...group.readers.keys()].sort() : undefined;
  }

  /** Creates (or adopts) the table in `targetRegion`, copies the items and starts replicating. */
  addReplica(tableName: string, sourceRegion: string, targetRegion: string, options: AddReplicaOptions): Promise<void> {
    return this.exclusive(async () => {
      const existingGroup = this.members.get(memberId(sourceRegion, tableName));
      if (existingGroup?.readers.has(targetRegion) || sourceRegion === targetRegion) {
        if (options.adoptExisting) return;
        throw new AwsError(
          "ValidationException",
          `Failed to create a the new replica of table with name: '${tableName}' because one or more replicas already existed as tables.`,
        );
      }
      if (this.members.has(memberId(targetRegion, tableName))) {
        throw new AwsError("ValidationException", `Table ${tableName} in ${targetRegion} already belongs to another global table.`);
      }
      const source = await describeTableIn(this.clients, sourceRegion, tableName);
      if (!source) throw new AwsError("ResourceNotFoundException", `Requested resource not found: Table: ${tableName} not found`);
      assertReplicable(source, sourceRegion);
      const target = await describeTableIn(this.clients, targetRegion, tableName);
      if (target && !options.adoptExisting) {
        throw new AwsError(
          "ValidationException",
          `Failed to create a the new replica of table with name: '${tableName}' because one or more replicas already existed as tables.`,
        );
      }
      if (target) assertReplicable(target, targetRegion);
      else await createReplicaTable(this.clients, sourceRegion, targetRegion, source);

      const group =
        existingGroup ??
        (await this.newGroup(
          sourceRegion,
          tableName,
          (source.KeySchema ?? []).map((k) => k.AttributeName ?? ""),
        ));
      const reader = new StreamReader(targetRegion, tableName, this.clients, "LATEST");
      await reader.start();
      for await (const item of scanItems(this.clients, sourceRegion, tableName)) {
        const keys = keyOf(item, group.keyAttributeNames);
        const { Attributes } = await this.clients
          .tables(targetRegion)
          .send(new PutItemCommand({ TableName: tableName, Item: item, ReturnValues: "ALL_OLD" }));
        group.convergence.recordWrite(targetRegion, keys, item, imageFingerprint(Attributes) !== imageFingerprint(item));
      }
      group.readers.set(targetRegion, reader);
      this.members.set(memberId(targetRegion, tableName), group);
    });
  }

  /** Stops replicating into `region` and deletes its replica table, as UpdateTable `Delete` does. */
  removeReplica(tableName: string, region: string): Promise<void> {
    return this.exclusive(async () => {
      const group = this.members.get(memberId(region, tableName));
      if (!group) throw new AwsError("ValidationException", `Replica ${region} of table ${tableName} does not exist.`);
      this.leave(group, region);
      try {
        await this.clients.tables(region).send(new DeleteTableCommand({ TableName: tableName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    });
  }

  /** Forgets a replica whose table a client deleted directly (DeleteTable in that region). */
  tableDeleted(region: string, tableName: string): Promise<void> {
    return this.exclusive(async () => {
      const group = this.members.get(memberId(region, tableName));
      if (group) this.leave(group, region);
    });
  }

  /**
   * Resolves once a poll cycle that started after the call read nothing new, wrote nothing and has
   * no echo outstanding: every replica then holds the same items. Rejects when a cycle fails or when
   * replication does not settle within `timeoutMs`.
   */
  async whenReplicated(timeoutMs = 10_000): Promise<void> {
    const startedAfter = this.cycle;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const outcome = await new Promise<{ quiet: boolean; error: unknown; cycle: number }>((resolve, reject) => {
        const timeout = setTimeout(
          () => {
            this.cycleListeners.delete(listener);
            reject(new Error(`global table replication did not settle within ${timeoutMs} ms`));
          },
          Math.max(0, deadline - Date.now()),
        );
        const listener = (quiet: boolean, error: unknown): void => {
          clearTimeout(timeout);
          this.cycleListeners.delete(listener);
          resolve({ quiet, error, cycle: this.cycle });
        };
        this.cycleListeners.add(listener);
      });
      if (outcome.error !== undefined) throw outcome.error;
      if (outcome.quiet && outcome.cycle > startedAfter) return;
    }
  }

  /** Stops polling and waits for the cycle in progress; the SDK clients stay with their owner. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.queue.catch(() => undefined);
  }

  private async newGroup(region: string, tableName: string, keyAttributeNames: readonly string[]): Promise<ReplicationGroup> {
    const reader = new StreamReader(region, tableName, this.clients, "LATEST");
    await reader.start();
    const group: ReplicationGroup = {
      tableName,
      keyAttributeNames,
      readers: new Map([[region, reader]]),
      convergence: new ReplicaConvergence(),
    };
    this.members.set(memberId(region, tableName), group);
    return group;
  }

  private leave(group: ReplicationGroup, region: string): void {
    group.readers.delete(region);
    group.convergence.forgetRegion(region);
    this.members.delete(memberId(region, group.tableName));
    if (group.readers.size <= 1) {
      for (const remaining of group.readers.keys()) this.members.delete(memberId(remaining, group.tableName));
      group.readers.clear();
    }
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.exclusive(() => this.pollCycle()).then(
        (quiet) => this.finishCycle(quiet, undefined),
        (error: unknown) => this.finishCycle(false, error),
      );
    }, this.pollIntervalMs);
  }

  private finishCycle(quiet: boolean, error: unknown): void {
    for (const listener of [...this.cycleListeners]) listener(quiet, error);
    this.schedule();
  }

  /** One round: drain every replica's stream, then write each changed key's winner where it is missing. */
  private async pollCycle(): Promise<boolean> {
    this.cycle += 1;
    let activity = false;
    for (const group of new Set(this.members.values())) {
      for (const [region, reader] of group.readers) {
        const changes = await this.pollOrLeave(group, region, reader);
        if (changes.length > 0) activity = true;
        for (const change of changes) group.convergence.observe(region, change, this.cycle);
      }
      const writes = group.convergence.plan([...group.readers.keys()]);
      if (writes.length > 0) activity = true;
      // One write per key and region: they are independent, so a few go at once (a bulk load of thousands
      // of items would otherwise replicate one round trip at a time, and every later change behind it).
      for (let start = 0; start < writes.length; start += WRITES_IN_FLIGHT) {
        const slice = writes.slice(start, start + WRITES_IN_FLIGHT).filter((write) => group.readers.has(write.region));
        const outcomes = await Promise.allSettled(slice.map((write) => this.apply(group, write)));
        const failed = outcomes.flatMap((outcome, index) =>
          outcome.status === "rejected" ? [{ write: slice[index], error: outcome.reason }] : [],
        );
        for (const { write } of failed.filter(({ error }) => error instanceof ResourceNotFoundException)) {
          if (write && group.readers.has(write.region)) this.leave(group, write.region);
        }
        const fatal = failed.find(({ error }) => !(error instanceof ResourceNotFoundException));
        if (fatal) {
          for (const { write } of failed) if (write) group.convergence.retry(write.keyFingerprint);
          for (const unapplied of writes.slice(start + WRITES_IN_FLIGHT)) group.convergence.retry(unapplied.keyFingerprint);
          throw fatal.error;
        }
      }
      if (group.convergence.pendingEchoes() > 0) activity = true;
    }
    return !activity;
  }

  /** A replica whose table vanished behind the proxy's back leaves the group instead of failing every cycle. */
  private async pollOrLeave(group: ReplicationGroup, region: string, reader: StreamReader): Promise<ChangeRecord[]> {
    try {
      return await reader.poll();
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException) && !(error instanceof StreamResourceNotFound)) throw error;
      this.leave(group, region);
      return [];
    }
  }

  private async apply(group: ReplicationGroup, write: ReplicaWrite): Promise<void> {
    const client = this.clients.tables(write.region);
    if (write.image) {
      const { Attributes } = await client.send(
        new PutItemCommand({ TableName: group.tableName, Item: write.image, ReturnValues: "ALL_OLD" }),
      );
      group.convergence.recordWrite(write.region, write.keys, write.image, imageFingerprint(Attributes) !== imageFingerprint(write.image));
    } else {
      const { Attributes } = await client.send(
        new DeleteItemCommand({ TableName: group.tableName, Key: write.keys, ReturnValues: "ALL_OLD" }),
      );
      group.convergence.recordWrite(write.region, write.keys, undefined, Attributes !== undefined);
    }
  }
}
