import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import type { AttributeMap } from "./sync-item";

/**
 * One change of the source table as its DynamoDB stream tells it, whatever the view type: `put`
 * (INSERT or MODIFY) with the new image when the view carries it (NEW_IMAGE, NEW_AND_OLD_IMAGES;
 * KEYS_ONLY and OLD_IMAGE do not: the writer reads the item), `delete` (REMOVE) with the keys.
 */
export interface StreamChange {
  readonly eventId: string;
  readonly kind: "put" | "delete";
  readonly key: AttributeMap;
  readonly newImage?: AttributeMap;
  readonly oldImage?: AttributeMap;
  /** ApproximateCreationDateTime in milliseconds (coarse: seconds on AWS, the minute on DynamoDB Local). */
  readonly approximateTimeMs: number;
  readonly sequenceNumber: string;
  /** A deletion by DynamoDB's TTL process (userIdentity: Service dynamodb.amazonaws.com). */
  readonly byTimeToLive: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

const image = (value: unknown, field: string): Result<AttributeMap | undefined, InvalidEvent> =>
  value === undefined ? ok(undefined) : isObject(value) ? ok(value) : err(new InvalidEvent("is not an item image", field));

/**
 * Reads one record of a DynamoDB stream event (as Lambda delivers it). Anything that is not a
 * well-formed change (no keys, no sequence number, an unknown event name) is one clear InvalidEvent.
 */
export const parseStreamChange = (record: unknown): Result<StreamChange, InvalidEvent> => {
  if (!isObject(record)) return err(new InvalidEvent("is not a DynamoDB stream record", "record"));
  const { eventID, eventName, dynamodb, userIdentity } = record;
  if (typeof eventID !== "string" || eventID === "") return err(new InvalidEvent("is missing", "eventID"));
  if (!isObject(dynamodb)) return err(new InvalidEvent("is missing", "dynamodb"));
  const { Keys, NewImage, OldImage, SequenceNumber, ApproximateCreationDateTime } = dynamodb;
  if (!isObject(Keys) || Object.keys(Keys).length === 0) return err(new InvalidEvent("is missing", "dynamodb.Keys"));
  if (typeof SequenceNumber !== "string" || !/^[0-9]{1,40}$/.test(SequenceNumber))
    return err(new InvalidEvent("is not a stream sequence number", "dynamodb.SequenceNumber"));
  if (typeof ApproximateCreationDateTime !== "number" || !Number.isFinite(ApproximateCreationDateTime) || ApproximateCreationDateTime < 0)
    return err(new InvalidEvent("is not a time in epoch seconds", "dynamodb.ApproximateCreationDateTime"));
  const byTimeToLive =
    isObject(userIdentity) && userIdentity["type"] === "Service" && userIdentity["principalId"] === "dynamodb.amazonaws.com";
  const kind = eventName === "INSERT" || eventName === "MODIFY" ? "put" : eventName === "REMOVE" || byTimeToLive ? "delete" : undefined;
  if (kind === undefined) return err(new InvalidEvent(`${JSON.stringify(eventName)} is not INSERT, MODIFY or REMOVE`, "eventName"));
  return image(NewImage, "dynamodb.NewImage").andThen((newImage) =>
    image(OldImage, "dynamodb.OldImage").map(
      (oldImage): StreamChange => ({
        eventId: eventID,
        kind,
        key: Keys,
        ...(kind === "put" && newImage !== undefined ? { newImage } : {}),
        ...(oldImage !== undefined ? { oldImage } : {}),
        approximateTimeMs: Math.round(ApproximateCreationDateTime * 1000),
        sequenceNumber: SequenceNumber,
        byTimeToLive,
      }),
    ),
  );
};
