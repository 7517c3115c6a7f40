import type { ENTITY_KINDS, EntityStates, EntityType } from "./entity-kinds";

/**
 * Typed AWS IoT registry events, as published on `$aws/events/...` and validated by
 * `parseRegistryEvent`: the event's envelope, the entity it describes (in the state shape of its
 * kind) and what happened to it. Only THING and THING_GROUP events carry a `versionNumber`; the id of
 * a thing or group changes when it is deleted and re-created under the same name (a new incarnation).
 */
interface EventEnvelope {
  readonly eventId: string;
  /** Epoch milliseconds, as AWS IoT stamps it. */
  readonly timestamp: number;
  readonly accountId?: string;
}

export type CrudOperation = "CREATED" | "UPDATED" | "DELETED";
/** AWS documents both CREATED/DELETED and ADDED/REMOVED for type associations; both normalise to these. */
export type RelationOperation = "ADDED" | "REMOVED";

/** Entities (ended by DELETED) are created, updated and deleted; relations (ended by REMOVED) added and removed. */
type OperationOf<K extends EntityType> = (typeof ENTITY_KINDS)[K]["endedBy"] extends "DELETED" ? CrudOperation : RelationOperation;

export type RegistryEvent = {
  readonly [K in EntityType]: EventEnvelope & {
    readonly entityType: K;
    readonly operation: OperationOf<K>;
    readonly state: EntityStates[K];
  };
}[EntityType];
