import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ResultAsync } from "neverthrow";
import type { DependencyError } from "../domain/shared/errors";
import type { AttributeMap } from "../domain/sync/sync-item";
import { classifyAwsError } from "./aws-error-classification";

export interface ScanPage {
  readonly items: readonly AttributeMap[];
  /** Where the next page starts (JSON of LastEvaluatedKey), absent after the segment's last page. */
  readonly next?: string;
  readonly consumedCapacity: number;
}

/**
 * One page of one segment of a parallel Scan (strongly consistent: the backfill must see every write
 * made before it started), with the capacity it consumed for the rate limit.
 */
export const createDynamoDbSegmentScanner =
  (client: DynamoDBClient, tableName: string, totalSegments: number, pageSize: number) =>
  (segment: number, start: string | undefined): ResultAsync<ScanPage, DependencyError> =>
    ResultAsync.fromPromise(
      client.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: totalSegments,
          Limit: pageSize,
          ConsistentRead: true,
          ReturnConsumedCapacity: "TOTAL",
          ...(start !== undefined ? { ExclusiveStartKey: JSON.parse(start) as Record<string, AttributeValue> } : {}),
        }),
      ),
      classifyAwsError(`DynamoDB table ${tableName}`),
    ).map((output) => ({
      items: output.Items ?? [],
      ...(output.LastEvaluatedKey !== undefined ? { next: JSON.stringify(output.LastEvaluatedKey) } : {}),
      consumedCapacity: output.ConsumedCapacity?.CapacityUnits ?? 0,
    }));
