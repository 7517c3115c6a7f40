import type { ResultAsync } from "neverthrow";
import type { EntityType } from "../registry/entity-kinds";
import type { ReplicaRecord } from "../registry/replica-record";
import type { DependencyError } from "../shared/errors";
import type { EntityRef } from "./entity-ref";
import type { IotOperation } from "./iot-operations";
import type { LiveStates } from "./live-state";

/** The primary region's current records in the replica table (read, never the stream's image). */
export interface PrimaryRecords {
  read(ref: EntityRef): ResultAsync<ReplicaRecord | undefined, DependencyError>;
}

/**
 * The secondary region's IoT registry and shadows: read an entity's live state, make one call. What
 * only a delete needs (a thing's principals, a type's things, a group's children, what uses a
 * certificate) is read only `forDeletion`, and is empty otherwise: a thing's apply must not list
 * every thing of its type.
 */
export interface SecondaryRegistry {
  read<K extends EntityType>(
    ref: EntityRef & { readonly entityType: K },
    forDeletion?: boolean,
  ): ResultAsync<LiveStates[K], DependencyError>;
  execute(operation: IotOperation): ResultAsync<void, DependencyError>;
}
