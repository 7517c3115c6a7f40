import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { ResultAsync } from "neverthrow";
import type { MessageWriter, PutOutcome } from "../domain/messages/message-ports";
import type { StoredMessage } from "../domain/messages/stored-message";
import { DependencyUnavailable } from "../domain/shared/errors";
import { failureOutcome } from "../domain/shared/record-outcome";
import { classifyAwsError } from "./aws-error-classification";
import { MESSAGES_TABLE, toItem } from "./dynamodb-messages-table";

const STORED: PutOutcome = { kind: "stored" };

/** BatchWriteItem takes at most 25 puts per request. */
const BATCH_LIMIT = 25;

export interface BatchRetryPolicy {
  /** Attempts for the items DynamoDB returns as UnprocessedItems (throttled), the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** Full-jitter exponential backoff, as AWS recommends for UnprocessedItems: waits up to 100, 200, 400, 800 ms. */
export const DEFAULT_BATCH_RETRY: BatchRetryPolicy = {
  attempts: 5,
  baseDelayMs: 50,
  maxDelayMs: 1000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

const requestKey = (request: WriteRequest): string =>
  `${request.PutRequest?.Item?.[MESSAGES_TABLE.partitionKey]?.S}\u0000${request.PutRequest?.Item?.[MESSAGES_TABLE.sortKey]?.S}`;

/**
 * Ingestion's writes into the messages table: BatchWriteItem in chunks of 25, unprocessed items
 * retried with backoff, a refused request split to find the item at fault.
 */
export const createDynamoDbMessageWriter = (
  client: DynamoDBClient,
  tableName: string,
  retry: BatchRetryPolicy = DEFAULT_BATCH_RETRY,
): MessageWriter => {
  const dependency = `DynamoDB table ${tableName}`;
  const toDomainError = classifyAwsError(dependency);
  /** Items DynamoDB left unprocessed (throttled) are retried by SQS, like any transient failure. */
  const stillUnprocessed = (reason: string): PutOutcome => ({ kind: "retried", error: new DependencyUnavailable(dependency, reason) });
  const attempt = <T>(promise: Promise<T>) => ResultAsync.fromPromise(promise, toDomainError);

  /** Writes up to 25 items; returns the outcome of each, keyed by uuid and messageId. */
  const writeChunk = async (chunk: readonly StoredMessage[]): Promise<Map<string, PutOutcome>> => {
    const outcomes = new Map<string, PutOutcome>();
    let pending: WriteRequest[] = chunk.map((message) => ({ PutRequest: { Item: toItem(message) } }));
    for (let round = 0; round < retry.attempts && pending.length > 0; round += 1) {
      if (round > 0) await retry.sleep(Math.floor(retry.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** round)));
      const written = await attempt(client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } })));
      if (written.isErr()) {
        const error = written.error;
        if (error.kind === "DependencyRejected" && pending.length > 1) {
          // One item spoils the whole request: write them one by one so only that one is dead-lettered.
          for (const request of pending) {
            const single = await attempt(client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: [request] } })));
            const throttled = single.isOk() && (single.value.UnprocessedItems?.[tableName]?.length ?? 0) > 0;
            const outcome = throttled ? stillUnprocessed("still unprocessed (throttled)") : STORED;
            outcomes.set(requestKey(request), single.isErr() ? failureOutcome(single.error) : outcome);
          }
          return outcomes;
        }
        for (const request of pending) outcomes.set(requestKey(request), failureOutcome(error));
        return outcomes;
      }
      const unprocessed = written.value.UnprocessedItems?.[tableName] ?? [];
      const left = new Set(unprocessed.map(requestKey));
      for (const request of pending) if (!left.has(requestKey(request))) outcomes.set(requestKey(request), STORED);
      pending = unprocessed;
    }
    for (const request of pending) {
      outcomes.set(requestKey(request), stillUnprocessed(`still unprocessed after ${retry.attempts} BatchWriteItem attempts (throttled)`));
    }
    return outcomes;
  };

  return {
    batchPut: (items) =>
      ResultAsync.fromSafePromise(
        (async () => {
          const outcomes = new Map<string, PutOutcome>();
          for (let start = 0; start < items.length; start += BATCH_LIMIT) {
            for (const [key, outcome] of await writeChunk(items.slice(start, start + BATCH_LIMIT))) outcomes.set(key, outcome);
          }
          const missing = stillUnprocessed("no outcome recorded for this item");
          return items.map((item): PutOutcome => outcomes.get(`${item.uuid}\u0000${item.messageId}`) ?? missing);
        })(),
      ),
  };
};
