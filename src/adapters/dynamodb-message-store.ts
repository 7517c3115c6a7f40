import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { ResultAsync } from "neverthrow";
import type { MessageStore, PutOutcome } from "../domain/messages/message-ports";
import type { StoredMessage } from "../domain/messages/stored-message";
import { DependencyUnavailable } from "../domain/shared/errors";
import type { JsonObject } from "../domain/shared/json-fields";
import { failureOutcome } from "../domain/shared/record-outcome";
import { classifyAwsError } from "./aws-error-classification";

/** Attribute names of the messages table (the template declares the same keys and TTL attribute). */
const MESSAGES_TABLE = { partitionKey: "uuid", sortKey: "messageId", body: "body", ttlAttribute: "expiresAt" } as const;

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

const toItem = (message: StoredMessage) =>
  marshall(
    {
      [MESSAGES_TABLE.partitionKey]: message.uuid,
      [MESSAGES_TABLE.sortKey]: message.messageId,
      [MESSAGES_TABLE.body]: message.body,
      ...(message.expiresAt !== undefined ? { [MESSAGES_TABLE.ttlAttribute]: message.expiresAt } : {}),
    },
    { removeUndefinedValues: true },
  );

const keyOf = (uuid: string, messageId: string) => ({
  [MESSAGES_TABLE.partitionKey]: { S: uuid },
  [MESSAGES_TABLE.sortKey]: { S: messageId },
});
const requestKey = (request: WriteRequest): string =>
  `${request.PutRequest?.Item?.[MESSAGES_TABLE.partitionKey]?.S}\u0000${request.PutRequest?.Item?.[MESSAGES_TABLE.sortKey]?.S}`;

/**
 * The messages table in DynamoDB: BatchWriteItem for ingestion (unprocessed items retried with
 * backoff, a refused request split to find the item at fault), Query on the sort key for everything
 * the API reads, so that no request scans.
 */
export const createDynamoDbMessageStore = (
  client: DynamoDBClient,
  tableName: string,
  retry: BatchRetryPolicy = DEFAULT_BATCH_RETRY,
): MessageStore => {
  const dependency = `DynamoDB table ${tableName}`;
  const toDomainError = classifyAwsError(dependency);
  /** Items DynamoDB left unprocessed (throttled) are retried by SQS, like any transient failure. */
  const stillUnprocessed = (reason: string): PutOutcome => ({ kind: "retried", error: new DependencyUnavailable(dependency, reason) });
  const attempt = <T>(promise: Promise<T>) => ResultAsync.fromPromise(promise, toDomainError);
  /** Message ids of one uuid, in id order (or reversed), optionally only those after/before `bound`. */
  const queryIds = (
    uuid: string,
    options: { forward: boolean; limit: number; bound?: { operator: ">" | "<"; messageId: string }; startAfter?: string },
  ) =>
    attempt(
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: `#uuid = :uuid${options.bound ? ` AND #id ${options.bound.operator} :id` : ""}`,
          ExpressionAttributeNames: { "#uuid": MESSAGES_TABLE.partitionKey, "#id": MESSAGES_TABLE.sortKey },
          ExpressionAttributeValues: { ":uuid": { S: uuid }, ...(options.bound ? { ":id": { S: options.bound.messageId } } : {}) },
          ProjectionExpression: "#id",
          ScanIndexForward: options.forward,
          Limit: options.limit,
          ...(options.startAfter !== undefined ? { ExclusiveStartKey: keyOf(uuid, options.startAfter) } : {}),
        }),
      ),
    ).map((output) => ({
      messageIds: (output.Items ?? []).flatMap((item) =>
        item[MESSAGES_TABLE.sortKey]?.S !== undefined ? [item[MESSAGES_TABLE.sortKey]?.S as string] : [],
      ),
      lastEvaluated: output.LastEvaluatedKey?.[MESSAGES_TABLE.sortKey]?.S,
    }));

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

    newestAndOldest: (uuid) => {
      const edge = (newestFirst: boolean) => queryIds(uuid, { forward: !newestFirst, limit: 1 }).map((page) => page.messageIds[0]);
      return ResultAsync.combine([edge(true), edge(false)]).map(([newest, oldest]) =>
        newest !== undefined && oldest !== undefined ? { newest, oldest } : undefined,
      );
    },

    get: (uuid, messageId) =>
      attempt(client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(uuid, messageId), ConsistentRead: true }))).map(
        (output) => {
          if (!output.Item) return undefined;
          const item = unmarshall(output.Item);
          const expiresAt = item[MESSAGES_TABLE.ttlAttribute] as number | undefined;
          return { uuid, messageId, body: item[MESSAGES_TABLE.body] as JsonObject, ...(expiresAt !== undefined ? { expiresAt } : {}) };
        },
      ),

    adjacent: (uuid, messageId, direction) =>
      queryIds(uuid, { forward: direction === "next", limit: 1, bound: { operator: direction === "next" ? ">" : "<", messageId } }).map(
        (page) => page.messageIds[0],
      ),

    delete: (uuid, messageId) =>
      attempt(client.send(new DeleteItemCommand({ TableName: tableName, Key: keyOf(uuid, messageId) }))).map(() => undefined),

    listPage: (uuid, limit, cursor) =>
      queryIds(uuid, { forward: true, limit, ...(cursor !== undefined ? { startAfter: cursor } : {}) }).map((page) => ({
        messageIds: page.messageIds,
        nextCursor: page.lastEvaluated,
      })),
  };
};
