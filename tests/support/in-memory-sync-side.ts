import { okAsync } from "neverthrow";
import type { IssuedStamp } from "../../src/domain/sync/forward-decision";
import { type AttributeMap, canonicalKey, withoutSyncAttributes } from "../../src/domain/sync/sync-item";
import type { IssuedStamps, OwnTable, SyncTargetTable, TombstoneStore } from "../../src/domain/sync/sync-ports";
import { compareStamps, decodeStamp, encodeStamp, SYNC_ATTRIBUTES, type SyncStamp } from "../../src/domain/sync/sync-stamp";

/** A clock shared by the two sides of a simulation, in milliseconds. */
export interface SimulatedClock {
  now: number;
}

const stampOf = (item: AttributeMap | undefined): SyncStamp | undefined => {
  const encoded = (item?.[SYNC_ATTRIBUTES.stamp] as { S?: string } | undefined)?.S;
  return encoded === undefined ? undefined : decodeStamp(encoded)._unsafeUnwrap();
};

/**
 * The reference model of one side of a two-way sync: its table (hash key `pk`), the DynamoDB stream
 * the table writes (NEW_AND_OLD_IMAGES, ApproximateCreationDateTime truncated to the minute as
 * DynamoDB Local does), and the tombstones kept for the table. Its conditional writes are the ones the
 * DynamoDB adapters express as ConditionExpressions.
 */
export class InMemorySyncSide {
  readonly items = new Map<string, AttributeMap>();
  readonly tombstones = new Map<string, SyncStamp>();
  readonly stream: unknown[] = [];
  private sequence = 0;

  constructor(
    readonly name: string,
    private readonly clock: SimulatedClock,
  ) {}

  /** Every mutation of the table is one stream record, in order. */
  private write(key: AttributeMap, next: AttributeMap | undefined): void {
    const id = canonicalKey(key);
    const old = this.items.get(id);
    if (old === undefined && next === undefined) return;
    if (next === undefined) this.items.delete(id);
    else this.items.set(id, next);
    this.sequence += 1;
    this.stream.push({
      eventID: `${this.name}-${this.sequence}`,
      eventName: old === undefined ? "INSERT" : next === undefined ? "REMOVE" : "MODIFY",
      dynamodb: {
        Keys: key,
        ...(next !== undefined ? { NewImage: next } : {}),
        ...(old !== undefined ? { OldImage: old } : {}),
        SequenceNumber: String(this.sequence).padStart(21, "0"),
        ApproximateCreationDateTime: Math.floor(this.clock.now / 60_000) * 60,
      },
    });
  }

  /** An application's PutItem: the whole item replaced, without the sync's metadata. */
  localPut(pk: string, value: number): void {
    this.write({ pk: { S: pk } }, { pk: { S: pk }, value: { N: String(value) } });
  }

  /** An application's UpdateItem: one attribute set, every other attribute (the metadata too) kept. */
  localUpdate(pk: string, value: number): void {
    const current = this.items.get(canonicalKey({ pk: { S: pk } })) ?? { pk: { S: pk } };
    this.write({ pk: { S: pk } }, { ...current, value: { N: String(value) } });
  }

  localDelete(pk: string): void {
    this.write({ pk: { S: pk } }, undefined);
  }

  /** The data a reader sees, metadata left out, by key. */
  data(): Map<string, AttributeMap> {
    return new Map([...this.items].map(([key, item]) => [key, withoutSyncAttributes(item)]));
  }

  readonly table: SyncTargetTable = {
    putIfNewer: (key, image, stamp, overwriteUnstamped) => {
      const item = this.items.get(canonicalKey(key));
      const current = stampOf(item);
      if (item !== undefined && current === undefined && !overwriteUnstamped) return okAsync("unstamped" as const);
      if (current !== undefined && compareStamps(current, stamp) >= 0) return okAsync("stale" as const);
      this.write(key, {
        ...withoutSyncAttributes(image),
        [SYNC_ATTRIBUTES.stamp]: { S: encodeStamp(stamp) },
        [SYNC_ATTRIBUTES.origin]: { S: stamp.origin },
      });
      return okAsync("written" as const);
    },
    deleteIfOlder: (key, stamp, overwriteUnstamped) => {
      const item = this.items.get(canonicalKey(key));
      const current = stampOf(item);
      if (item !== undefined && current === undefined && !overwriteUnstamped) return okAsync("unstamped" as const);
      if (item === undefined || (current !== undefined && compareStamps(current, stamp) > 0)) return okAsync("stale" as const);
      this.write(key, {
        ...item,
        [SYNC_ATTRIBUTES.stamp]: { S: encodeStamp(stamp) },
        [SYNC_ATTRIBUTES.origin]: { S: stamp.origin },
        [SYNC_ATTRIBUTES.deleted]: { BOOL: true },
      });
      this.write(key, undefined);
      return okAsync("written" as const);
    },
  };

  readonly ownTable: OwnTable = {
    read: (key) => okAsync(this.items.get(canonicalKey(key))),
    putIfStill: (key, image, stamp, expected, restored) => {
      const item = this.items.get(canonicalKey(key));
      const current = stampOf(item);
      const still =
        expected === "absent"
          ? item === undefined
          : expected === "unstamped"
            ? item !== undefined && current === undefined
            : current !== undefined && compareStamps(current, expected) === 0;
      if (!still) return okAsync("stale" as const);
      this.write(key, {
        ...withoutSyncAttributes(image),
        [SYNC_ATTRIBUTES.stamp]: { S: encodeStamp(stamp) },
        [SYNC_ATTRIBUTES.origin]: { S: stamp.origin },
        ...(restored ? { [SYNC_ATTRIBUTES.restored]: { BOOL: true } } : {}),
      });
      return okAsync("written" as const);
    },
    deleteSyncedOlder: (key, stamp) => {
      const item = this.items.get(canonicalKey(key));
      const current = stampOf(item);
      const synced = item?.[SYNC_ATTRIBUTES.restored] !== undefined || current?.origin !== stamp.origin;
      if (!synced || current === undefined || compareStamps(current, stamp) >= 0) return okAsync("stale" as const);
      this.write(key, {
        ...this.items.get(canonicalKey(key)),
        [SYNC_ATTRIBUTES.stamp]: { S: encodeStamp(stamp) },
        [SYNC_ATTRIBUTES.deleted]: { BOOL: true },
      });
      this.write(key, undefined);
      return okAsync("written" as const);
    },
  };

  private readonly issued = new Map<string, IssuedStamp>();

  readonly issuedStamps: IssuedStamps = {
    last: (key) => okAsync(this.issued.get(canonicalKey(key))),
    remember: (key, issued) => {
      this.issued.set(canonicalKey(key), issued);
      return okAsync(undefined);
    },
  };

  readonly tombstoneStore: TombstoneStore = {
    newest: (key) => okAsync(this.tombstones.get(canonicalKey(key))),
    record: (key, stamp) => {
      const current = this.tombstones.get(canonicalKey(key));
      if (current !== undefined && compareStamps(current, stamp) > 0) return okAsync("stale" as const);
      this.tombstones.set(canonicalKey(key), stamp);
      return okAsync("written" as const);
    },
  };
}
