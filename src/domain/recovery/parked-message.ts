import { err, ok, type Result } from "neverthrow";
import type { EntityType } from "../registry/entity-kinds";
import { ENTITY_KINDS } from "../registry/entity-kinds";
import { InvalidEvent } from "../shared/errors";
import { isJsonObject, readString } from "../shared/json-fields";
import type { EntityRef } from "./entity-ref";

/**
 * What waits in the applier's dead-letter queue for the redrive:
 * - `entity`: one entity the applier parked itself (deferred, or refused for good), by record key;
 * - `streamRange`: a batch Lambda gave up on after MaximumRetryAttempts. Lambda's OnFailure message
 *   names the stream, shard and sequence range (`DDBStreamBatchInfo`), not the records, so the
 *   redrive reads that range back with GetRecords (within the stream's 24 hours).
 */
export type ParkedMessage =
  | { readonly kind: "entity"; readonly ref: EntityRef }
  | {
      readonly kind: "streamRange";
      readonly streamArn: string;
      readonly shardId: string;
      readonly startSequenceNumber: string;
      readonly endSequenceNumber: string;
    };

/** The body the applier parks an entity with. */
export const entityMessage = (ref: EntityRef): string => JSON.stringify({ entityKey: `${ref.entityType}#${ref.entityName}` });

/** The entity a record key (`{entityType}#{entityName}`) names, or an InvalidEvent for a key of no known kind. */
export const refOfKey = (entityKey: string): Result<EntityRef, InvalidEvent> => {
  const separator = entityKey.indexOf("#");
  const entityType = entityKey.slice(0, separator);
  if (separator <= 0 || !(entityType in ENTITY_KINDS) || separator === entityKey.length - 1) {
    return err(new InvalidEvent(`is not {entityType}#{entityName} of a known kind: ${JSON.stringify(entityKey)}`, "entityKey"));
  }
  return ok({ entityType: entityType as EntityType, entityName: entityKey.slice(separator + 1) });
};

export const parseParkedMessage = (body: string): Result<ParkedMessage, InvalidEvent> => {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return err(new InvalidEvent("the message body is not JSON"));
  }
  if (!isJsonObject(message)) return err(new InvalidEvent("the message body is not a JSON object"));
  if (typeof message.entityKey === "string") return refOfKey(message.entityKey).map((ref) => ({ kind: "entity", ref }));
  const info = message.DDBStreamBatchInfo;
  if (!isJsonObject(info)) return err(new InvalidEvent("is neither an entity the applier parked nor a stream batch", "DDBStreamBatchInfo"));
  return readString(info, "streamArn").andThen((streamArn) =>
    readString(info, "shardId").andThen((shardId) =>
      readString(info, "startSequenceNumber").andThen((startSequenceNumber) =>
        readString(info, "endSequenceNumber").map(
          (endSequenceNumber): ParkedMessage => ({ kind: "streamRange", streamArn, shardId, startSequenceNumber, endSequenceNumber }),
        ),
      ),
    ),
  );
};
