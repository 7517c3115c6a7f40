import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { MESSAGE_ID_PATTERN } from "./message-segments";

/**
 * Width that numeric order values are zero-padded to: every safe integer (up to 9007199254740991,
 * 16 digits) fits, so epoch seconds, epoch milliseconds and counters all sort by number as strings.
 * Without padding "999" would sort after "1000" and `next` would walk messages out of order.
 */
export const ORDER_VALUE_WIDTH = 16;

/** SQS SentTimestamp is epoch milliseconds: 13 digits until the year 2286; padded the same way. */
export const SENT_TIMESTAMP_WIDTH = 13;

/**
 * The order part of a message id from the body field named by `messageIdKey`: a non-negative
 * integer (a number, or a string of digits as the public sample sends `"epochTime": "1564669331"`)
 * is zero-padded to ORDER_VALUE_WIDTH; any other string is kept as it is (it then sorts as text)
 * provided it fits the message id alphabet; anything else is invalid.
 */
export const orderValue = (value: unknown, field: string): Result<string, InvalidEvent> => {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0
      ? ok(String(value).padStart(ORDER_VALUE_WIDTH, "0"))
      : err(new InvalidEvent(`must be a non-negative integer or a string, got ${JSON.stringify(value)}`, field));
  }
  if (typeof value !== "string") return err(new InvalidEvent(value === undefined ? "is missing" : "must be a non-negative integer or a string", field));
  if (/^\d{1,16}$/.test(value)) return ok(value.padStart(ORDER_VALUE_WIDTH, "0"));
  if (!/^[A-Za-z0-9_.:]{1,128}$/.test(value)) return err(new InvalidEvent("must be digits or letters, digits, '_', '.', ':' (at most 128)", field));
  return ok(value);
};

/**
 * `<order>-<SentTimestamp>-<SQS message id>`: sortable by the sender's order value, then by when SQS
 * received it, and unique because the SQS message id is; stable across redeliveries of the same
 * message, so storing it again is an idempotent overwrite.
 */
export const buildMessageId = (order: string, sentTimestamp: number, sqsMessageId: string): Result<string, InvalidEvent> => {
  const id = `${order}-${String(sentTimestamp).padStart(SENT_TIMESTAMP_WIDTH, "0")}-${sqsMessageId}`;
  return MESSAGE_ID_PATTERN.test(id) ? ok(id) : err(new InvalidEvent(`the message id ${JSON.stringify(id)} would not be addressable over MQTT`, "messageId"));
};
