import { BatchGetItemCommand, type DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { okAsync, ResultAsync } from "neverthrow";
import type { BootstrapJob, KindProgress } from "../domain/recovery/bootstrap-plan";
import type { BootstrapProgressStore } from "../domain/recovery/recovery-ports";
import type { EntityType } from "../domain/registry/entity-kinds";
import { classifyAwsError } from "./aws-error-classification";
import { SWEEP_CHECKPOINT_KEY } from "./dynamodb-lease";

/** The lease item of a region's bootstrap, in the same checkpoint table. */
export const bootstrapLeaseId = (region: string): string => `bootstrap-lease#${region}`;

const kindOfItem = (item: Record<string, unknown>): KindProgress => ({
  entityType: item["EntityType"] as EntityType,
  total: Number(item["Total"] ?? 0),
  ...(typeof item["Cursor"] === "string" ? { cursor: item["Cursor"] } : {}),
  done: item["Done"] === true,
  applied: Number(item["Applied"] ?? 0),
  unchanged: Number(item["Unchanged"] ?? 0),
  parked: Number(item["Parked"] ?? 0),
});

/**
 * A region's bootstrap in the regional checkpoint table (the sweep's): the job (`bootstrap#{region}`)
 * and one item per kind (`bootstrap#{region}#{kind}`), so that the kinds running side by side each
 * save their own page without overwriting the others'. Reads are strongly consistent.
 */
export const createDynamoDbBootstrapProgress = (client: DynamoDBClient, tableName: string, region: string): BootstrapProgressStore => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  const jobId = `bootstrap#${region}`;
  const key = (id: string) => ({ [SWEEP_CHECKPOINT_KEY]: { S: id } });
  const put = (id: string, fields: Record<string, unknown>) =>
    ResultAsync.fromPromise(
      client.send(new PutItemCommand({ TableName: tableName, Item: { ...key(id), ...marshall(fields, { removeUndefinedValues: true }) } })),
      toDomainError,
    ).map(() => undefined);
  const saveKind = (kind: KindProgress) =>
    put(`${jobId}#${kind.entityType}`, {
      EntityType: kind.entityType,
      Total: kind.total,
      Cursor: kind.cursor,
      Done: kind.done,
      Applied: kind.applied,
      Unchanged: kind.unchanged,
      Parked: kind.parked,
    });
  const batchGet = async (ids: readonly string[]): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let pending: Record<string, { S: string }>[] = ids.map((id) => key(id));
    while (pending.length > 0) {
      const answer = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending.slice(0, 100), ConsistentRead: true } } }),
      );
      items.push(...(answer.Responses?.[tableName] ?? []).map((item) => unmarshall(item)));
      const unprocessed = (answer.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, { S: string }>[];
      pending = [...unprocessed, ...pending.slice(100)];
    }
    return items;
  };
  return {
    load: () =>
      ResultAsync.fromPromise(batchGet([jobId]), toDomainError).andThen(([job]) => {
        if (job === undefined) return okAsync(undefined);
        const types = (job["Kinds"] as EntityType[] | undefined) ?? [];
        return ResultAsync.fromPromise(batchGet(types.map((entityType) => `${jobId}#${entityType}`)), toDomainError).map(
          (items): BootstrapJob => {
            const byType = new Map(items.map((item) => [item["EntityType"] as EntityType, kindOfItem(item)]));
            return {
              bulkLoadId: String(job["BulkLoadId"]),
              primaryRegion: String(job["PrimaryRegion"]),
              startedAt: Number(job["StartedAt"]),
              ...(typeof job["FinishedAt"] === "number" ? { finishedAt: job["FinishedAt"] } : {}),
              kinds: types.map(
                (entityType) => byType.get(entityType) ?? { entityType, total: 0, done: false, applied: 0, unchanged: 0, parked: 0 },
              ),
            };
          },
        );
      }),
    start: (job) =>
      ResultAsync.combine(job.kinds.map(saveKind)).andThen(() =>
        put(jobId, {
          BulkLoadId: job.bulkLoadId,
          PrimaryRegion: job.primaryRegion,
          StartedAt: job.startedAt,
          Kinds: job.kinds.map((kind) => kind.entityType),
        }),
      ),
    saveKind,
    finish: (at) =>
      ResultAsync.fromPromise(
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(jobId),
            UpdateExpression: "SET FinishedAt = :at",
            ExpressionAttributeValues: { ":at": { N: String(at) } },
          }),
        ),
        toDomainError,
      ).map(() => undefined),
  };
};
