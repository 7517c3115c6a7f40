import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { FaultInjector } from "../faults/fault-injector";
import { deliverWithFaults } from "../faults/faulty-delivery";
import { failedItemIds, failedUpToGroupEnd } from "./batch-item-failures";
import { passesFilters, sqsRecordForFiltering } from "./event-filter";
import type { LocalFunction } from "./local-function";

export interface SqsEventSourceOptions {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /**
   * `ScalingConfig.MaximumConcurrency`: the most batches in flight at once. Without it the function's
   * own concurrency is the limit (more pollers would only hold messages while waiting for an environment).
   */
  readonly maximumConcurrency?: number;
  /** FilterCriteria patterns; a message matching none is deleted without an invocation, as Lambda does. */
  readonly filterPatterns?: readonly Record<string, unknown>[];
  /** Called after each invocation, for logs and tests. */
  readonly onBatch?: (report: { size: number; failed: number; error?: string }) => void;
  /** Delivers a batch twice, or later while the poller goes on (so later batches overtake it), as its rules say. */
  readonly faults?: FaultInjector;
}

/** The record Lambda hands a function for one SQS message. */
export const toSqsRecord = (message: Message, options: Pick<SqsEventSourceOptions, "queueArn" | "region">): SQSRecord => ({
  messageId: message.MessageId ?? "",
  receiptHandle: message.ReceiptHandle ?? "",
  body: message.Body ?? "",
  attributes: message.Attributes as unknown as SQSRecord["attributes"],
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? "String",
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  ),
  md5OfBody: message.MD5OfBody ?? "",
  eventSource: "aws:sqs",
  eventSourceARN: options.queueArn,
  awsRegion: options.region,
});

/** Lambda's SQS pollers start with five batches at a time, and fall back to five when traffic is low. */
export const INITIAL_SQS_BATCHES = 5;

/**
 * An SQS event source mapping: long-polls the queue, fills a batch up to BatchSize within the batching
 * window, invokes the function, and deletes what succeeded. What failed stays invisible until its
 * visibility timeout ends, then comes back, and the queue's redrive policy moves it to the DLQ after
 * maxReceiveCount, exactly as with Lambda.
 *
 * Batches run concurrently, as Lambda's do: the poller hands each batch to an invocation and goes on
 * to collect the next while up to `limit` batches are in flight. The limit starts at five; each batch
 * whose last receive came back full (more messages are waiting) raises it by one, up to
 * ScalingConfig.MaximumConcurrency and the function's concurrency; an empty receive brings it back to
 * five. On a FIFO queue the queue itself holds a message group back while a batch holding some of its
 * messages is in flight, so each group is still handled in order, one batch at a time, and a group
 * stops at its first failed message (`failedUpToGroupEnd`).
 * Under faults a batch of a standard queue may be invoked twice, or held back while the poller goes
 * on receiving. A FIFO batch is never held back (AWS does not reorder a FIFO group): a duplicate is
 * a second invocation with the same batch right after the first, before anything is deleted, as when
 * Lambda retries a batch whose response was lost.
 */
export class SqsEventSource {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  /** The most batches in flight at once, whatever the backlog. */
  readonly maximumBatches: number;
  /** The batches allowed in flight now: from five up to maximumBatches as the backlog demands. */
  private limit: number;
  /** Whether the queue is a FIFO queue (its name ends in `.fifo`, which SQS requires of FIFO queues). */
  private readonly fifo: boolean;

  constructor(
    private readonly sqs: SQSClient,
    private readonly target: LocalFunction,
    readonly options: SqsEventSourceOptions,
  ) {
    this.maximumBatches = Math.max(1, Math.min(options.maximumConcurrency ?? 1000, target.concurrency));
    this.limit = Math.min(INITIAL_SQS_BATCHES, this.maximumBatches);
    this.fifo = options.queueArn.endsWith(".fifo");
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  /** Batches being handled right now (invocations in flight, or their deletes). */
  get concurrentBatches(): number {
    return this.inFlight.size;
  }

  private async receive(max: number, waitSeconds: number): Promise<Message[]> {
    const { Messages } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
      { abortSignal: this.abort.signal },
    );
    return Messages ?? [];
  }

  /** A batch, and whether the queue looked like it held more (its last receive came back full). */
  private async collectBatch(): Promise<{ messages: Message[]; more: boolean }> {
    let asked = Math.min(10, this.options.batchSize);
    const messages = await this.receive(asked, 1);
    let more = messages.length === asked;
    if (messages.length === 0) return { messages, more };
    const windowEnds = Date.now() + this.options.maximumBatchingWindowInSeconds * 1000;
    while (messages.length < this.options.batchSize && Date.now() < windowEnds) {
      asked = Math.min(10, this.options.batchSize - messages.length);
      const received = await this.receive(asked, Math.min(1, Math.ceil((windowEnds - Date.now()) / 1000)));
      more = received.length === asked;
      messages.push(...received);
    }
    return { messages, more };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
        const { messages, more } = await this.collectBatch();
        if (messages.length === 0) {
          // Low traffic: back to the initial five batches.
          this.limit = Math.min(INITIAL_SQS_BATCHES, this.maximumBatches);
          continue;
        }
        // More messages are waiting: one more batch in flight, up to the maximum.
        if (more) this.limit = Math.min(this.limit + 1, this.maximumBatches);
        this.dispatch(messages);
      } catch (error) {
        if (!this.running) break;
        // The queue is unreachable or gone: back off and try again, as the Lambda poller does.
        this.options.onBatch?.({ size: 0, failed: 0, error: error instanceof Error ? error.message : String(error) });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Handles a batch in the background; what goes wrong is reported, never thrown. */
  private dispatch(messages: Message[]): void {
    const report = (error: unknown) =>
      this.options.onBatch?.({
        size: messages.length,
        failed: messages.length,
        error: error instanceof Error ? error.message : String(error),
      });
    const delivered = this.fifo
      ? this.process(messages, this.options.faults?.shouldDuplicate("sqs") === true)
      : deliverWithFaults(this.options.faults, "sqs", () => this.process(messages, false), report);
    const batch: Promise<void> = delivered.catch(report).finally(() => this.inFlight.delete(batch));
    this.inFlight.add(batch);
  }

  /** One invocation with a batch (two in a row when `twice`), then deleting what succeeded (and what the filters dropped). */
  private async process(messages: readonly Message[], twice: boolean): Promise<void> {
    const received = messages.map((message) => toSqsRecord(message, this.options));
    const patterns = this.options.filterPatterns ?? [];
    const records = received.filter((record) =>
      passesFilters(patterns, sqsRecordForFiltering(record as unknown as { body: string } & Record<string, unknown>)),
    );
    const filteredOut = received.filter((record) => !records.includes(record));
    const invoke = () =>
      records.length > 0
        ? this.target.invoke({ Records: records } satisfies SQSEvent)
        : Promise.resolve({ ok: true as const, result: null });
    let outcome = await invoke();
    if (twice) outcome = await invoke();
    const reported = failedItemIds(
      records.map((record) => record.messageId),
      outcome,
      this.options.reportBatchItemFailures,
    );
    const failed = this.fifo
      ? failedUpToGroupEnd(
          records.map((record) => ({ messageId: record.messageId, groupId: record.attributes?.MessageGroupId })),
          reported,
        )
      : reported;
    const done = [...filteredOut, ...records.filter((record) => !failed.has(record.messageId))];
    for (let i = 0; i < done.length; i += 10) {
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.slice(i, i + 10).map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
    }
    if (records.length > 0)
      this.options.onBatch?.({
        size: records.length,
        failed: failed.size,
        ...(outcome.ok ? {} : { error: `${outcome.error.name}: ${outcome.error.message}` }),
      });
  }
}
