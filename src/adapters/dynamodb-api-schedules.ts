import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { SharedSchedules } from "../domain/pacing/pacer";

/** Key and attribute of the schedule table (the template declares the same): one item per API. */
export const API_SCHEDULE_TABLE = { partitionKey: "Api", tat: "Tat" } as const;

const tatOf = (item: Record<string, { N?: string }> | undefined): number => Number(item?.[API_SCHEDULE_TABLE.tat]?.N ?? 0);

/**
 * The per-API call schedules in this region's `ApiScheduleTable`, shared by every function that
 * calls AWS IoT here: a consistent read, and a conditional write that succeeds only if the schedule
 * still holds what was read (a refused write returns what it holds, so a retry needs no second read).
 */
export const createDynamoDbApiSchedules = (dynamodb: DynamoDBClient, tableName: string): SharedSchedules => {
  const key = (api: string) => ({ [API_SCHEDULE_TABLE.partitionKey]: { S: api } });
  const read = async (api: string): Promise<number> =>
    tatOf((await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: key(api), ConsistentRead: true }))).Item);
  return {
    read,
    replace: async (api, expected, next) => {
      try {
        await dynamodb.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(api),
            UpdateExpression: "SET #tat = :next",
            ConditionExpression: "attribute_not_exists(#tat) OR #tat = :expected",
            ExpressionAttributeNames: { "#tat": API_SCHEDULE_TABLE.tat },
            ExpressionAttributeValues: { ":next": { N: String(next) }, ":expected": { N: String(expected) } },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        );
        return { replaced: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const held = error.Item as Record<string, { N?: string }> | undefined;
        return { replaced: false, current: held ? tatOf(held) : await read(api) };
      }
    },
  };
};
