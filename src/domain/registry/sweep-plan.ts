import type { EntityType } from "./entity-kinds";
import { Origin, Rank } from "./ordering";
import { type CaptureContext, entityKey, type ReplicaRecord } from "./replica-record";

/** The kinds a sweep lists (the snapshot reader's), shadows only when it lists them too. */
export const sweptKinds = (shadows: boolean): readonly EntityType[] => [
  "thingType",
  "thing",
  "thingTypeAssociation",
  "thingGroup",
  "thingGroupHierarchy",
  "thingGroupMembership",
  "certificate",
  "policy",
  "policyPrincipal",
  "thingPrincipal",
  ...(shadows ? (["shadow"] as const) : []),
];

/** What the tombstone step knows about the pass that just completed its listing. */
export interface CompletedPass {
  readonly passStartedAt: number;
  /** Keys of items the pass listed but could not store: they exist. */
  readonly rejectedKeys: ReadonlySet<string>;
}

/**
 * Whether a pass that listed the whole region without seeing this record shows that its entity is
 * gone. Every record the pass saw carries the pass's stamp (or a newer one), so an ACTIVE record
 * stamped before the pass started was not listed, unless:
 * - it came from a live event: a snapshot ranks below every live event (ordering rule 1), so a sweep
 *   tombstone could never replace it; the sweep leaves it to the event that ends it;
 * - the pass listed it but could not store it (a rejected item): it exists.
 */
export const isGoneAfterPass = (record: ReplicaRecord, pass: CompletedPass): boolean =>
  record.status === "ACTIVE" &&
  record.stamp.origin === Origin.Snapshot &&
  record.stamp.timestamp < pass.passStartedAt &&
  !pass.rejectedKeys.has(entityKey(record.entityType, record.entityName));

/**
 * The tombstone a complete pass writes for an entity it did not see: a snapshot delete stamped 1 ms
 * before the pass's start, so it replaces the older snapshot it ends, loses to any live event, and
 * loses to the pass's own listing of the entity too (stamped with the pass's start, where a delete
 * would win the tie): the records the step reads come from an index that may lag behind the pass's
 * writes, and the conditional write, not that read, must have the last word. It expires like every
 * tombstone.
 */
export const sweepTombstone = (record: ReplicaRecord, passStartedAt: number, context: CaptureContext): ReplicaRecord => ({
  entityType: record.entityType,
  entityName: record.entityName,
  sourceRegion: context.sourceRegion,
  status: "DELETED",
  stamp: { origin: Origin.Snapshot, rank: Rank.Delete, timestamp: passStartedAt - 1, eventId: `snapshot-${passStartedAt}` },
  capturedAt: context.now,
  expiresAt: Math.floor(context.now / 1000) + context.tombstoneTtlSeconds,
  fields: {},
});

/** The tombstones a complete pass writes among the region's ACTIVE records of one swept kind. */
export const planTombstones = (records: readonly ReplicaRecord[], pass: CompletedPass, context: CaptureContext): ReplicaRecord[] =>
  records
    .filter((record) => record.sourceRegion === context.sourceRegion && isGoneAfterPass(record, pass))
    .map((record) => sweepTombstone(record, pass.passStartedAt, context));
