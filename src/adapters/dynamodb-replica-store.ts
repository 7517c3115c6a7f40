import { type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import type { ReplicaStore, WriteOutcome } from "../domain/registry/registry-ports";
import type { DependencyError } from "../domain/shared/errors";
import { awsErrorName, classifyAwsError } from "./aws-error-classification";
import { orderingCondition } from "./dynamodb-ordering-condition";
import { REPLICA_TABLE, recordToItem } from "./dynamodb-replica-items";

/**
 * The replica table in DynamoDB. The ordering rule travels as the write's ConditionExpression, so a
 * capture is exactly one request and concurrent captures of the same entity can never race.
 * `bulkLoadId` marks every record written as part of that bootstrap's snapshot (see REPLICA_TABLE).
 */
export const createDynamoDbReplicaStore = (
  client: DynamoDBClient,
  tableName: string,
  options: { readonly bulkLoadId?: string } = {},
): ReplicaStore => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  return {
    putIfNewer: (record) => {
      const condition = orderingCondition(record.stamp);
      const put = client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: marshall(
            { ...recordToItem(record), ...(options.bulkLoadId ? { [REPLICA_TABLE.bulkLoadAttribute]: options.bulkLoadId } : {}) },
            { removeUndefinedValues: true },
          ),
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: condition.names,
          ExpressionAttributeValues: marshall(condition.values),
        }),
      );
      // A failed condition is the ordering rule saying "not newer": a successful no-op, not an error.
      return ResultAsync.fromPromise(put, (thrown) => thrown)
        .map((): WriteOutcome => "stored")
        .orElse(
          (thrown): ResultAsync<WriteOutcome, DependencyError> =>
            awsErrorName(thrown) === "ConditionalCheckFailedException" ? okAsync("stale") : errAsync(toDomainError(thrown)),
        );
    },
  };
};
