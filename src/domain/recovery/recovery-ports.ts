import type { ResultAsync } from "neverthrow";
import type { EntityType } from "../registry/entity-kinds";
import type { ReplicaRecord } from "../registry/replica-record";
import type { DependencyError } from "../shared/errors";
import type { BootstrapJob, KindProgress } from "./bootstrap-plan";
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
  /**
   * True when this process knows, without asking AWS, that the entity exists here (it made or read
   * it moments ago); false means "unknown", never "absent". Saves the existence check of a
   * dependency, which for certificates is a 10-per-second API.
   */
  knownToExist(ref: EntityRef): boolean;
}

/** One page of the primary's records of a kind, by key, and where the next page starts (none after the last). */
export interface RecordPage {
  readonly refs: readonly EntityRef[];
  readonly cursor: string | undefined;
}

/** The primary's records in this region's replica of the table, kind by kind, a page at a time (what a bootstrap walks). */
export interface PrimaryRecordPages {
  count(entityType: EntityType): ResultAsync<number, DependencyError>;
  page(entityType: EntityType, cursor: string | undefined): ResultAsync<RecordPage, DependencyError>;
}

/** Where a bootstrap keeps its job and each kind's progress, so any run can resume it and `npm run status` can show it. */
export interface BootstrapProgressStore {
  load(): ResultAsync<BootstrapJob | undefined, DependencyError>;
  /** Starts a new job: every kind at its beginning (a previous job's progress is replaced). */
  start(job: BootstrapJob): ResultAsync<void, DependencyError>;
  saveKind(kind: KindProgress): ResultAsync<void, DependencyError>;
  finish(at: number): ResultAsync<void, DependencyError>;
}
