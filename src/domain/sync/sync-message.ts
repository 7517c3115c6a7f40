import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { type AttributeMap, canonicalKey, fnv1a64 } from "./sync-item";
import { decodeStamp, encodeStamp, type SyncStamp, validOriginName } from "./sync-stamp";

/**
 * One change as the writer applies it: a put of `image` (absent: a claim check, the writer reads the
 * item's current image from the source) or a delete of `key`, ordered by `stamp`.
 */
export interface SyncChange {
  readonly kind: "put" | "delete";
  readonly key: AttributeMap;
  readonly image?: AttributeMap;
  readonly stamp: SyncStamp;
}

/** A change on the FIFO queue: the change and the stream record it came from (its deduplication id). */
export interface SyncMessage extends SyncChange {
  readonly eventId: string;
}

/** SQS's limit on a message body (256 KiB); an item may be up to 400 KB, so bigger ones travel as a claim check. */
export const SQS_MAX_MESSAGE_BYTES = 262_144;

export const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

const FORMAT = 1;

/**
 * The message body: the change with its encoded stamp. A put whose body would exceed `maxBytes`
 * loses its image and becomes a claim check (the key travels, the writer reads the item).
 */
export const serializeSyncMessage = (message: SyncMessage, maxBytes: number): { readonly body: string; readonly claimCheck: boolean } => {
  const body = (image: AttributeMap | undefined): string =>
    JSON.stringify({
      syncMessage: FORMAT,
      eventId: message.eventId,
      kind: message.kind,
      key: message.key,
      ...(image !== undefined ? { image } : {}),
      stamp: encodeStamp(message.stamp),
    });
  const full = body(message.image);
  if (message.image === undefined || utf8Length(full) <= maxBytes)
    return { body: full, claimCheck: message.kind === "put" && message.image === undefined };
  return { body: body(undefined), claimCheck: true };
};

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

const ATTRIBUTE_TYPES: ReadonlySet<string> = new Set(["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"]);

/** Every attribute is in DynamoDB's wire format: one type tag (`{ "S": ... }`), as the stream gives them. */
const wireFormatError = (item: Record<string, unknown>, field: string): InvalidEvent | undefined => {
  for (const [name, value] of Object.entries(item)) {
    const tags = isObject(value) ? Object.keys(value) : [];
    if (tags.length !== 1 || !ATTRIBUTE_TYPES.has(tags[0] as string))
      return new InvalidEvent(`attribute ${JSON.stringify(name)} is not a DynamoDB attribute value ({"S": ...}, {"N": ...}, ...)`, field);
  }
  return undefined;
};

/** Reads a message body back; anything else (a redriven foreign message, a truncated body) is one clear InvalidEvent. */
export const parseSyncMessage = (body: string): Result<SyncMessage, InvalidEvent> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return err(new InvalidEvent(`body is not JSON (${(error as Error).message})`));
  }
  if (!isObject(parsed) || parsed["syncMessage"] !== FORMAT)
    return err(new InvalidEvent(`is not ${FORMAT}: not a sync message`, "syncMessage"));
  const { eventId, kind, key, image, stamp } = parsed;
  if (typeof eventId !== "string" || eventId === "") return err(new InvalidEvent("is missing", "eventId"));
  if (kind !== "put" && kind !== "delete") return err(new InvalidEvent(`${JSON.stringify(kind)} is not put or delete`, "kind"));
  if (!isObject(key) || Object.keys(key).length === 0) return err(new InvalidEvent("is missing", "key"));
  if (image !== undefined && !isObject(image)) return err(new InvalidEvent("is not an item", "image"));
  if (typeof stamp !== "string") return err(new InvalidEvent("is missing", "stamp"));
  const malformed = wireFormatError(key, "key") ?? (image === undefined ? undefined : wireFormatError(image, "image"));
  if (malformed) return err(malformed);
  return decodeStamp(stamp).map((decoded) => ({ eventId, kind, key, ...(image !== undefined ? { image } : {}), stamp: decoded }));
};

/**
 * The FIFO MessageGroupId of an item: a hash of its key, so that one item's changes stay in order
 * while different items flow in parallel (two keys sharing a hash only share a lane).
 */
export const messageGroupId = (key: AttributeMap): string => `item-${fnv1a64(canonicalKey(key))}`;

/**
 * The FIFO MessageDeduplicationId: the stream record's eventID (a retried forward of the same record
 * within SQS's 5-minute window is dropped by SQS; after it, the writer's stamp check makes it stale).
 * SQS allows 128 characters of [!-~]; an eventID is 32 hex characters, anything else is hashed.
 */
export const deduplicationId = (eventId: string): string => (/^[!-~]{1,128}$/.test(eventId) ? eventId : `event-${fnv1a64(eventId)}`);

export const requireOriginName = (origin: string): Result<string, InvalidEvent> =>
  validOriginName(origin)
    ? ok(origin)
    : err(new InvalidEvent(`${JSON.stringify(origin)} must be 1-64 characters of A-Z a-z 0-9 . _ -`, "origin"));
