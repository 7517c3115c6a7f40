import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { FaultInjector } from "../faults/fault-injector";
import { deliverWithFaults } from "../faults/faulty-delivery";
import { failedItemIds } from "./batch-item-failures";
import { passesFilters, sqsRecordForFiltering } from "./event-filter";
import type { LocalFunction } from "./local-function";

export interface SqsEventSourceOptions {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly reportBatchItemFailures: boolean;
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

/**
 * An SQS event source mapping: long-polls the queue, fills a batch up to BatchSize within the batching
 * window, invokes the function, and deletes what succeeded. What failed stays invisible until its
 * visibility timeout ends, then comes back, and the queue's redrive policy moves it to the DLQ after
 * maxReceiveCount, exactly as with Lambda. Under faults a batch may be invoked twice, or held back
 * while the poller goes on receiving (as Lambda's concurrent pollers overtake each other).
 */
export class SqsEventSource {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly sqs: SQSClient,
    private readonly target: LocalFunction,
    readonly options: SqsEventSourceOptions,
  ) {}

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

  private async collectBatch(): Promise<Message[]> {
    const batch = await this.receive(this.options.batchSize, 1);
    if (batch.length === 0) return batch;
    const windowEnds = Date.now() + this.options.maximumBatchingWindowInSeconds * 1000;
    while (batch.length < this.options.batchSize && Date.now() < windowEnds) {
      const more = await this.receive(this.options.batchSize - batch.length, Math.min(1, Math.ceil((windowEnds - Date.now()) / 1000)));
      batch.push(...more);
    }
    return batch;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const messages = await this.collectBatch();
        if (messages.length === 0) continue;
        await deliverWithFaults(
          this.options.faults,
          "sqs",
          () => this.process(messages),
          (error) => this.options.onBatch?.({ size: messages.length, failed: messages.length, error: String(error) }),
        );
      } catch (error) {
        if (!this.running) return;
        // The queue is unreachable or gone: back off and try again, as the Lambda poller does.
        this.options.onBatch?.({ size: 0, failed: 0, error: error instanceof Error ? error.message : String(error) });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** One invocation with a batch, then deleting what succeeded (and what the filters dropped). */
  private async process(messages: readonly Message[]): Promise<void> {
    const received = messages.map((message) => toSqsRecord(message, this.options));
    const patterns = this.options.filterPatterns ?? [];
    const records = received.filter((record) =>
      passesFilters(patterns, sqsRecordForFiltering(record as unknown as { body: string } & Record<string, unknown>)),
    );
    const filteredOut = received.filter((record) => !records.includes(record));
    const outcome =
      records.length > 0 ? await this.target.invoke({ Records: records } satisfies SQSEvent) : { ok: true as const, result: null };
    const failed = failedItemIds(
      records.map((record) => record.messageId),
      outcome,
      this.options.reportBatchItemFailures,
    );
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
