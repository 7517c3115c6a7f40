import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { type Entity, type EntityType, kindOf } from "./entity-kinds";
import { type OrderingStamp, Origin, Rank, type Sequence } from "./ordering";
import type { RegistryEvent } from "./registry-events";

/**
 * One row of the aggregated replica: the latest known state of one registry entity as seen in one
 * source region. The key is (EntityKey, AWSRegion), so the same thing name in two regions is two
 * records.
 */
export type EntityStatus = "ACTIVE" | "DELETED";

export interface ReplicaRecord {
  readonly entityType: EntityType;
  /** Name within its type; relations join their two names with `#` (names cannot contain `#`). */
  readonly entityName: string;
  readonly sourceRegion: string;
  readonly status: EntityStatus;
  readonly stamp: OrderingStamp;
  /** Epoch milliseconds at which this region captured the write. */
  readonly capturedAt: number;
  /** Epoch seconds after which DynamoDB TTL may remove a tombstone; absent on live records. */
  readonly expiresAt?: number;
  /** The entity's own fields (ThingName, Attributes, ...), as stored. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export const entityKey = (entityType: EntityType, entityName: string): string => `${entityType}#${entityName}`;

export interface CaptureContext {
  /** The region whose registry the source describes (the capturing function's own region). */
  readonly sourceRegion: string;
  /** Epoch milliseconds, from the caller's clock. */
  readonly now: number;
  /** How long tombstones are kept before DynamoDB TTL may remove them. */
  readonly tombstoneTtlSeconds: number;
}

/** DynamoDB items are limited to 400 KB; leave room for keys and bookkeeping attributes. */
export const MAX_RECORD_FIELDS_BYTES = 350 * 1024;

/** What a backfill reads from a region's registry (list APIs, not events): an entity as it is now. */
export type SnapshotItem = Entity;

interface Source {
  readonly origin: Origin;
  readonly timestamp: number;
  readonly eventId: string;
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/**
 * Only live events carry a sequence: a listing is a point-in-time read, ordered among other snapshots
 * by when its run started, and always below every live event.
 */
const sequenceOf = (entity: Entity, origin: Origin): Sequence | undefined =>
  origin === Origin.Event ? kindOf(entity).versionedBy?.(entity.state) : undefined;

/**
 * Turns what a source says about an entity into its replica record, through the description of the
 * entity's kind: a live record with the entity's fields, or, when the entity ended (deleted or
 * removed), a tombstone with a TTL and no fields (a deleted thing must not show up in scans for
 * things), so that a late update cannot bring it back while the tombstone lives.
 */
const recordOf = (entity: Entity, ended: boolean, source: Source, context: CaptureContext): Result<ReplicaRecord, InvalidEvent> => {
  const kind = kindOf(entity);
  const fields = kind.fields(entity.state);
  const size = utf8Length(JSON.stringify(fields));
  if (size > MAX_RECORD_FIELDS_BYTES) {
    return err(new InvalidEvent(`record would be ${size} bytes, over the ${MAX_RECORD_FIELDS_BYTES}-byte limit`, "attributes"));
  }
  const sequence = sequenceOf(entity, source.origin);
  const stamp: OrderingStamp = {
    origin: source.origin,
    ...(sequence ? { sequence } : {}),
    rank: ended ? Rank.Delete : Rank.Change,
    timestamp: source.timestamp,
    eventId: source.eventId,
  };
  return ok({
    entityType: entity.entityType,
    entityName: kind.recordName(entity.state),
    sourceRegion: context.sourceRegion,
    status: ended ? "DELETED" : "ACTIVE",
    stamp,
    capturedAt: context.now,
    ...(ended ? { expiresAt: Math.floor(context.now / 1000) + context.tombstoneTtlSeconds } : {}),
    fields: ended ? {} : fields,
  });
};

/** The replica record for one live registry event. */
export const toReplicaRecord = (event: RegistryEvent, context: CaptureContext): Result<ReplicaRecord, InvalidEvent> => {
  const ended = event.operation === kindOf(event).endedBy;
  return recordOf(event, ended, { origin: Origin.Event, timestamp: event.timestamp, eventId: event.eventId }, context);
};

/**
 * The replica record for one listed registry entity (a listing only shows entities that exist).
 * `snapshotStartedAt` must be read before the listing began, so that among snapshots a later backfill
 * run always wins over an earlier one.
 */
export const snapshotToRecord = (
  item: SnapshotItem,
  snapshotStartedAt: number,
  context: CaptureContext,
): Result<ReplicaRecord, InvalidEvent> =>
  recordOf(item, false, { origin: Origin.Snapshot, timestamp: snapshotStartedAt, eventId: `snapshot-${snapshotStartedAt}` }, context);
