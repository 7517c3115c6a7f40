import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { MESSAGE_ID_PATTERN } from "./message-segments";

/**
 * How numbers appear in a message id:
 * - `padded` (the default): numeric order values are zero-padded to ORDER_VALUE_WIDTH and SentTimestamp
 *   to SENT_TIMESTAMP_WIDTH, so string order is numeric order (unpadded, "999" sorts after "1000" and
 *   `next` walks messages out of order);
 * - `sample`: both are written as they are, as the public sample wrote them (`1564669331-...`), for a
 *   table that already holds the sample's ids: padded ids would sort before all of those
 *   ("0000001564669331" < "1564669331"), so `query` and `next` would take new messages for old ones.
 */
export const MESSAGE_ID_FORMATS = ["padded", "sample"] as const;
export type MessageIdFormat = (typeof MESSAGE_ID_FORMATS)[number];

/** Every safe integer (up to 9007199254740991, 16 digits) fits: epoch seconds, milliseconds, counters. */
const ORDER_VALUE_WIDTH = 16;

/** SQS SentTimestamp is epoch milliseconds: 13 digits until the year 2286. */
const SENT_TIMESTAMP_WIDTH = 13;

const digits = (value: string, width: number, format: MessageIdFormat): string =>
  format === "padded" ? value.padStart(width, "0") : value;

/**
 * The order part of a message id from the body field named by `messageIdKey`: a non-negative
 * integer (a number, or a string of digits as the public sample sends `"epochTime": "1564669331"`)
 * is written as the format says; any other string is kept as it is (it then sorts as text) provided
 * it fits the message id alphabet; anything else is invalid.
 */
export const orderValue = (value: unknown, field: string, format: MessageIdFormat): Result<string, InvalidEvent> => {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0
      ? ok(digits(String(value), ORDER_VALUE_WIDTH, format))
      : err(new InvalidEvent(`must be a non-negative integer or a string, got ${JSON.stringify(value)}`, field));
  }
  if (typeof value !== "string")
    return err(new InvalidEvent(value === undefined ? "is missing" : "must be a non-negative integer or a string", field));
  if (/^\d{1,16}$/.test(value)) return ok(digits(value, ORDER_VALUE_WIDTH, format));
  if (!/^[A-Za-z0-9_.:]{1,128}$/.test(value))
    return err(new InvalidEvent("must be digits or letters, digits, '_', '.', ':' (at most 128)", field));
  return ok(value);
};

/**
 * `<order>-<SentTimestamp>-<SQS message id>`: sortable by the sender's order value, then by when SQS
 * received it, and unique because the SQS message id is; stable across redeliveries of the same
 * message, so storing it again is an idempotent overwrite.
 */
export const buildMessageId = (
  order: string,
  sentTimestamp: number,
  sqsMessageId: string,
  format: MessageIdFormat,
): Result<string, InvalidEvent> => {
  const id = `${order}-${digits(String(sentTimestamp), SENT_TIMESTAMP_WIDTH, format)}-${sqsMessageId}`;
  return MESSAGE_ID_PATTERN.test(id)
    ? ok(id)
    : err(new InvalidEvent(`the message id ${JSON.stringify(id)} would not be addressable over MQTT`, "messageId"));
};
