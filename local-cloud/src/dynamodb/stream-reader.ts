import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDbLocalClients } from "./dynamodb-local-clients";
import type { ItemImage } from "./item-fingerprint";

/** One change read from a replica's stream, reduced to what replication needs. */
export interface ChangeRecord {
  readonly keys: ItemImage;
  /** The item after the change; undefined for a removal (including TTL removals, whatever their eventName). */
  readonly newImage: ItemImage | undefined;
}

interface ShardCursor {
  readonly shardId: string;
  iterator: string | undefined;
  lastSequenceNumber: string | undefined;
  done: boolean;
}

/**
 * Follows every shard of one table's stream in one region, the way a KCL worker would: shards that
 * exist at start are read from `startAt`, shards that appear later from their beginning, and a
 * closed shard is dropped once drained. Ordering never relies on ApproximateCreationDateTime (DynamoDB
 * Local truncates it to the minute): records come back in shard order.
 */
export class StreamReader {
  private streamArn: string | undefined;
  private readonly cursors = new Map<string, ShardCursor>();

  constructor(
    readonly region: string,
    readonly tableName: string,
    private readonly clients: DynamoDbLocalClients,
    private readonly startAt: "LATEST" | "TRIM_HORIZON",
  ) {}

  /** Positions the reader; after this, every change made to the table will be returned by `poll`. */
  async start(): Promise<void> {
    const table = await this.clients.tables(this.region).send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn || table.Table?.StreamSpecification?.StreamEnabled !== true) {
      throw new Error(`table ${this.tableName} in ${this.region} has no enabled stream`);
    }
    this.streamArn = streamArn;
    for (const shard of await this.listShards()) {
      const open = shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
      if (this.startAt === "LATEST" && !open) {
        this.cursors.set(shard.ShardId ?? "", {
          shardId: shard.ShardId ?? "",
          iterator: undefined,
          lastSequenceNumber: undefined,
          done: true,
        });
        continue;
      }
      await this.open(shard.ShardId ?? "", this.startAt);
    }
  }

  /** Reads everything new on every shard, in shard order; discovers shards created since the last poll. */
  async poll(): Promise<ChangeRecord[]> {
    const changes: ChangeRecord[] = [];
    for (const shard of await this.listShards()) {
      const shardId = shard.ShardId ?? "";
      if (!this.cursors.has(shardId)) await this.open(shardId, "TRIM_HORIZON");
    }
    for (const cursor of this.cursors.values()) {
      if (cursor.done) continue;
      changes.push(...(await this.drain(cursor)));
    }
    return changes;
  }

  private async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await this.clients.streams(this.region).send(
        new DescribeStreamCommand({
          StreamArn: this.streamArn,
          ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
        }),
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  private async open(shardId: string, type: ShardIteratorType, afterSequenceNumber?: string): Promise<void> {
    const { ShardIterator } = await this.clients.streams(this.region).send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(afterSequenceNumber ? { SequenceNumber: afterSequenceNumber } : {}),
      }),
    );
    const existing = this.cursors.get(shardId);
    if (existing) existing.iterator = ShardIterator;
    else
      this.cursors.set(shardId, {
        shardId,
        iterator: ShardIterator,
        lastSequenceNumber: afterSequenceNumber,
        done: ShardIterator === undefined,
      });
  }

  private async drain(cursor: ShardCursor): Promise<ChangeRecord[]> {
    const changes: ChangeRecord[] = [];
    while (cursor.iterator) {
      let page: GetRecordsCommandOutput;
      try {
        page = await this.clients.streams(this.region).send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: 1000 }));
      } catch (error) {
        // The iterator points before the shard's oldest record: DynamoDB Local says so for a LATEST
        // iterator taken on an empty shard once any other table of the region was written first.
        // Nothing between it and the oldest record can be read any more: go on from the oldest one.
        if (error instanceof TrimmedDataAccessException) {
          await this.open(cursor.shardId, "TRIM_HORIZON");
          continue;
        }
        if (!(error instanceof ExpiredIteratorException)) throw error;
        await this.open(cursor.shardId, cursor.lastSequenceNumber ? "AFTER_SEQUENCE_NUMBER" : "TRIM_HORIZON", cursor.lastSequenceNumber);
        continue;
      }
      const records = page.Records ?? [];
      for (const record of records) {
        const data = record.dynamodb;
        if (!data?.Keys) continue;
        cursor.lastSequenceNumber = data.SequenceNumber ?? cursor.lastSequenceNumber;
        changes.push({ keys: data.Keys as ItemImage, newImage: data.NewImage as ItemImage | undefined });
      }
      cursor.iterator = page.NextShardIterator;
      if (!cursor.iterator) cursor.done = true;
      if (records.length === 0) break;
    }
    return changes;
  }
}
