import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ResultAsync } from "neverthrow";
import { createDynamoDbReplicaReader } from "../adapters/dynamodb-replica-reader";
import { ENTITY_KINDS, type EntityType } from "../domain/registry/entity-kinds";
import type { ReplicaRecord } from "../domain/registry/replica-record";
import type { DomainError } from "../domain/shared/errors";
import { clientConfig } from "./operator-arguments";

/**
 * Every record of every kind whose source is the primary or the secondary, split by region, from the
 * secondary's replica of the table (what the secondary itself would act on): what verify, status and
 * failover read.
 */
export const readReplicaRegions = (options: {
  readonly primary: string;
  readonly secondary: string;
  readonly table: string;
  readonly endpointUrl: string | undefined;
}): ResultAsync<{ primary: ReplicaRecord[]; secondary: ReplicaRecord[] }, DomainError> => {
  const dynamodb = new DynamoDBClient(clientConfig(options.secondary, options.endpointUrl));
  const reader = createDynamoDbReplicaReader(dynamodb, options.table);
  const kinds = Object.keys(ENTITY_KINDS) as EntityType[];
  return ResultAsync.combine(kinds.map((kind) => reader.recordsOfKind(kind, [options.primary, options.secondary])))
    .map((perKind) => {
      const records = perKind.flat();
      return {
        primary: records.filter((record) => record.sourceRegion === options.primary),
        secondary: records.filter((record) => record.sourceRegion === options.secondary),
      };
    })
    .andTee(() => dynamodb.destroy())
    .orTee(() => dynamodb.destroy());
};
