import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { isJsonObject, type JsonObject } from "../shared/json-fields";
import { buildMessageId, type MessageIdFormat, orderValue } from "./message-id";
import { UUID_PATTERN } from "./message-segments";

/** One message as the table stores it: `uuid` (hash key), `messageId` (range key), the body as a map. */
export interface StoredMessage {
  readonly uuid: string;
  readonly messageId: string;
  readonly body: JsonObject;
  /** Epoch seconds after which DynamoDB TTL may delete it; absent when retention is unlimited. */
  readonly expiresAt?: number;
}

/** The parts of an SQS record that ingestion reads. */
export interface QueuedMessage {
  readonly sqsMessageId: string;
  readonly body: string;
  /** The SentTimestamp attribute (epoch milliseconds), as SQS sends it: a string. */
  readonly sentTimestamp: string | undefined;
}

/** Per-region configuration plus the clock, passed in so that parsing stays pure. */
export interface IngestContext {
  readonly uuidKey: string;
  readonly messageIdKey: string;
  readonly messageIdFormat: MessageIdFormat;
  /** 0 means messages are kept until deleted. */
  readonly retentionSeconds: number;
  readonly now: number;
}

const uuidValue = (value: unknown, field: string): Result<string, InvalidEvent> => {
  const text = typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof text !== "string")
    return err(new InvalidEvent(value === undefined ? "is missing" : "must be a string or a non-negative integer", field));
  return UUID_PATTERN.test(text) ? ok(text) : err(new InvalidEvent("must be 1 to 128 letters, digits, '_', '.', ':' or '-'", field));
};

const parseBody = (body: string): Result<JsonObject, InvalidEvent> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (thrown) {
    return err(new InvalidEvent(`body is not JSON (${thrown instanceof Error ? thrown.message : String(thrown)})`));
  }
  return isJsonObject(parsed) ? ok(parsed) : err(new InvalidEvent("body must be a JSON object"));
};

/**
 * Turns one queued message into the item to store, or an InvalidEvent naming the field at fault, so
 * that a poison message is dead-lettered with its reason while the rest of its batch is stored.
 */
export const toStoredMessage = (message: QueuedMessage, context: IngestContext): Result<StoredMessage, InvalidEvent> =>
  parseBody(message.body).andThen((body) => {
    const sent = /^\d{1,16}$/.test(message.sentTimestamp ?? "") ? Number(message.sentTimestamp) : NaN;
    if (!Number.isSafeInteger(sent)) return err(new InvalidEvent("must be epoch milliseconds", "attributes.SentTimestamp"));
    return uuidValue(body[context.uuidKey], context.uuidKey).andThen((uuid) =>
      orderValue(body[context.messageIdKey], context.messageIdKey, context.messageIdFormat)
        .andThen((order) => buildMessageId(order, sent, message.sqsMessageId, context.messageIdFormat))
        .map(
          (messageId): StoredMessage => ({
            uuid,
            messageId,
            body,
            ...(context.retentionSeconds > 0 ? { expiresAt: Math.floor(context.now / 1000) + context.retentionSeconds } : {}),
          }),
        ),
    );
  });
