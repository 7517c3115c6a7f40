import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import type { FaultInjector } from "../faults/fault-injector";
import { failedItemIds } from "./batch-item-failures";
import { passesFilters } from "./event-filter";
import type { InvocationResult, LocalFunction } from "./local-function";

export interface StreamEventSourceOptions {
  readonly streamArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly startingPosition: "TRIM_HORIZON" | "LATEST";
  /** -1 retries until the records expire, as Lambda's default. */
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly reportBatchItemFailures: boolean;
  /** Queue URL of the OnFailure destination, if any. */
  readonly onFailureQueueUrl?: string;
  readonly filterPatterns: readonly Record<string, unknown>[];
  /** ParallelizationFactor: batches of one shard in flight at once (1 when absent), each item's records in order. */
  readonly parallelizationFactor?: number;
  readonly pollIntervalMs?: number;
  readonly retryDelayMs?: number;
  readonly onBatch?: (report: { shardId: string; size: number; outcome: "ok" | "retry" | "bisect" | "discarded"; error?: string }) => void;
  /** Delays a batch, or delivers it again after it succeeded, as its rules say (never out of shard order). */
  readonly faults?: FaultInjector;
}

/** The record Lambda hands a function for one stream record (images stay in AttributeValue JSON). */
export const toDynamoDbRecord = (record: StreamRecord, options: Pick<StreamEventSourceOptions, "streamArn" | "region">): DynamoDBRecord => {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID ?? "",
    eventName: record.eventName as DynamoDBRecord["eventName"],
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: options.region,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      Keys: record.dynamodb?.Keys as never,
      ...(record.dynamodb?.NewImage ? { NewImage: record.dynamodb.NewImage as never } : {}),
      ...(record.dynamodb?.OldImage ? { OldImage: record.dynamodb.OldImage as never } : {}),
      SequenceNumber: record.dynamodb?.SequenceNumber ?? "",
      SizeBytes: record.dynamodb?.SizeBytes ?? 0,
      StreamViewType: record.dynamodb?.StreamViewType as never,
    },
    eventSourceARN: options.streamArn,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
  };
};

/**
 * Where to resume a batch after an invocation: undefined when it fully succeeded, otherwise the index
 * of the first record to retry (the lowest reported failure with ReportBatchItemFailures, else 0).
 */
export const retryFrom = (
  batch: readonly DynamoDBRecord[],
  outcome: InvocationResult,
  reportBatchItemFailures: boolean,
): number | undefined => {
  const failed = failedItemIds(
    batch.map((record) => record.dynamodb?.SequenceNumber ?? ""),
    outcome,
    reportBatchItemFailures,
  );
  if (failed.size === 0) return undefined;
  const index = batch.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ""));
  return Math.max(0, index);
};

/**
 * Splits a shard's records into `lanes` batches by item key, as Lambda's ParallelizationFactor does:
 * the records of one item always land in the same lane, in their stream order, so lanes may run at
 * once without reordering any item's changes. Empty lanes are left out.
 */
export const lanesByKey = (records: readonly DynamoDBRecord[], lanes: number): DynamoDBRecord[][] => {
  if (lanes <= 1) return [[...records]];
  const split: DynamoDBRecord[][] = Array.from({ length: lanes }, () => []);
  for (const record of records) {
    const key = JSON.stringify(record.dynamodb?.Keys ?? {});
    let hash = 2166136261;
    for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
    split[(hash >>> 0) % lanes]?.push(record);
  }
  return split.filter((lane) => lane.length > 0);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A DynamoDB stream event source mapping: one ordered poller per shard (children after their parent
 * ends), shards polled at once, batches up to BatchSize (split by item key into ParallelizationFactor
 * batches in flight at once, each item's records kept in order), FilterCriteria, and Lambda's failure handling: retry the batch (from
 * the first reported failure), bisect it on function errors, and after MaximumRetryAttempts send a
 * description of it to the OnFailure destination and move on. A shard never skips ahead of a failure.
 * Under faults a batch may wait up to reorderMs, or be delivered again after it succeeded (as when a
 * checkpoint is lost); a shard's batches still never overtake each other, as Lambda guarantees.
 */
export class DynamoDbStreamEventSource {
  private running = false;
  private readonly pollers = new Map<string, Promise<void>>();
  private discovery: Promise<void> | undefined;
  private readonly knownShards = new Set<string>();
  private readonly finishedShards = new Set<string>();

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly sqs: SQSClient,
    private readonly target: LocalFunction,
    readonly options: StreamEventSourceOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.discovery = this.discoverShards();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.discovery;
    await Promise.all(this.pollers.values());
  }

  private async discoverShards(): Promise<void> {
    let first = true;
    while (this.running) {
      try {
        const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.options.streamArn }));
        for (const shard of StreamDescription?.Shards ?? []) {
          const shardId = shard.ShardId;
          if (!shardId || this.knownShards.has(shardId)) continue;
          this.knownShards.add(shardId);
          const position = first ? this.options.startingPosition : "TRIM_HORIZON";
          this.pollers.set(shardId, this.pollShard(shardId, shard.ParentShardId, position));
        }
        first = false;
      } catch {
        // The stream is not there yet (or briefly unreachable): look again shortly.
      }
      await sleep(1000);
    }
  }

  private async pollShard(shardId: string, parentShardId: string | undefined, position: "TRIM_HORIZON" | "LATEST"): Promise<void> {
    // Records of a child shard come after all of its parent's.
    while (this.running && parentShardId && this.knownShards.has(parentShardId) && !this.finishedShards.has(parentShardId))
      await sleep(200);
    let iterator: string | undefined;
    try {
      ({ ShardIterator: iterator } = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.options.streamArn, ShardId: shardId, ShardIteratorType: position }),
      ));
    } catch {
      this.finishedShards.add(shardId);
      return;
    }
    let lastSequenceNumber: string | undefined;
    while (this.running && iterator) {
      let page: GetRecordsCommandOutput;
      try {
        page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize }));
      } catch (error) {
        // As Lambda does with an expired iterator: a fresh one right after the last record handed on.
        if (error instanceof ExpiredIteratorException) iterator = (await this.reopen(shardId, lastSequenceNumber, position)) ?? iterator;
        // Before the shard's oldest record (DynamoDB Local: a LATEST iterator on an empty shard, once
        // another table of the region was written first): as Lambda does, go on from the oldest one.
        if (error instanceof TrimmedDataAccessException) iterator = (await this.reopen(shardId, undefined, "TRIM_HORIZON")) ?? iterator;
        await sleep(this.options.pollIntervalMs ?? 250);
        continue;
      }
      iterator = page.NextShardIterator;
      lastSequenceNumber = page.Records?.at(-1)?.dynamodb?.SequenceNumber ?? lastSequenceNumber;
      const records = (page.Records ?? [])
        .map((record) => toDynamoDbRecord(record, this.options))
        .filter((record) => passesFilters(this.options.filterPatterns, record));
      if (records.length > 0) await this.deliverWithFaults(shardId, records);
      if ((page.Records ?? []).length === 0) await sleep(this.options.pollIntervalMs ?? 250);
    }
    this.finishedShards.add(shardId);
  }

  /** A new iterator after `afterSequenceNumber`, or at the shard's starting position if nothing was read yet. */
  private async reopen(
    shardId: string,
    afterSequenceNumber: string | undefined,
    position: "TRIM_HORIZON" | "LATEST",
  ): Promise<string | undefined> {
    const { ShardIterator } = await this.streams
      .send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shardId,
          ...(afterSequenceNumber
            ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: afterSequenceNumber }
            : { ShardIteratorType: position }),
        }),
      )
      .catch(() => ({ ShardIterator: undefined }));
    return ShardIterator;
  }

  private async deliverWithFaults(shardId: string, records: DynamoDBRecord[]): Promise<void> {
    const delay = this.options.faults?.delayMs("stream") ?? 0;
    if (delay > 0) await sleep(delay);
    const lanes = lanesByKey(records, this.options.parallelizationFactor ?? 1);
    await Promise.all(lanes.map((lane) => this.deliver(shardId, lane)));
    if (this.options.faults?.shouldDuplicate("stream")) await Promise.all(lanes.map((lane) => this.deliver(shardId, lane)));
  }

  private async deliver(shardId: string, records: DynamoDBRecord[]): Promise<void> {
    const pending: DynamoDBRecord[][] = [records];
    while (pending.length > 0 && this.running) {
      let batch = pending.shift() as DynamoDBRecord[];
      let attempts = 0;
      for (;;) {
        const outcome = await this.target.invoke({ Records: batch } satisfies DynamoDBStreamEvent);
        const from = retryFrom(batch, outcome, this.options.reportBatchItemFailures);
        const error = outcome.ok ? undefined : `${outcome.error.name}: ${outcome.error.message}`;
        if (from === undefined) {
          this.options.onBatch?.({ shardId, size: batch.length, outcome: "ok" });
          break;
        }
        batch = batch.slice(from);
        // Splitting a batch does not count towards the retry quota, as in Lambda.
        if (!outcome.ok && this.options.bisectBatchOnFunctionError && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          pending.unshift(batch.slice(0, half), batch.slice(half));
          this.options.onBatch?.({ shardId, size: batch.length, outcome: "bisect", ...(error ? { error } : {}) });
          break;
        }
        attempts += 1;
        if (this.options.maximumRetryAttempts >= 0 && attempts > this.options.maximumRetryAttempts) {
          await this.sendToOnFailure(shardId, batch, attempts);
          this.options.onBatch?.({ shardId, size: batch.length, outcome: "discarded", ...(error ? { error } : {}) });
          break;
        }
        this.options.onBatch?.({ shardId, size: batch.length, outcome: "retry", ...(error ? { error } : {}) });
        if (!this.running) return;
        await sleep(this.options.retryDelayMs ?? 200);
      }
    }
  }

  /** What Lambda sends to an OnFailure destination for a stream batch: where it was, not the records. */
  private async sendToOnFailure(shardId: string, batch: readonly DynamoDBRecord[], attempts: number): Promise<void> {
    if (!this.options.onFailureQueueUrl) return;
    const first = batch[0]?.dynamodb;
    const last = batch[batch.length - 1]?.dynamodb;
    const iso = (seconds: number | undefined) => new Date((seconds ?? 0) * 1000).toISOString();
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.onFailureQueueUrl,
        MessageBody: JSON.stringify({
          requestContext: {
            requestId: crypto.randomUUID(),
            functionArn: this.target.arn,
            condition: "RetryAttemptsExhausted",
            approximateInvokeCount: attempts,
          },
          responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
          version: "1.0",
          timestamp: new Date().toISOString(),
          DDBStreamBatchInfo: {
            shardId,
            startSequenceNumber: first?.SequenceNumber,
            endSequenceNumber: last?.SequenceNumber,
            approximateArrivalOfFirstRecord: iso(first?.ApproximateCreationDateTime),
            approximateArrivalOfLastRecord: iso(last?.ApproximateCreationDateTime),
            batchSize: batch.length,
            streamArn: this.options.streamArn,
          },
        }),
      }),
    );
  }
}
