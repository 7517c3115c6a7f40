import type { ResultAsync } from "neverthrow";
import type { EntityType } from "../registry/entity-kinds";
import type { ReplicaRecord } from "../registry/replica-record";
import type { DomainError } from "../shared/errors";
import type { RegionEntity } from "./compare-regions";

/** Reads the replica table by kind (the ByEntityType index). Implemented by the DynamoDB adapter. */
export interface ReplicaReader {
  /** Every record (live and tombstones) of one kind whose source region is one of `regions`. */
  recordsOfKind(entityType: EntityType, regions: readonly string[]): ResultAsync<readonly ReplicaRecord[], DomainError>;
}

/** Reads one region's live registry and shadows, whole. Implemented by the IoT adapters. */
export interface LiveRegionReader {
  readRegion(): ResultAsync<readonly RegionEntity[], DomainError>;
}
