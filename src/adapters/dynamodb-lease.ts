import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import type { DependencyError } from "../domain/shared/errors";
import { awsErrorName, classifyAwsError } from "./aws-error-classification";

/** The checkpoint table's key attribute (the template declares the same). */
export const SWEEP_CHECKPOINT_KEY = "SweepId";

/** One run at a time of a long job (a sweep pass, a bootstrap): claimed until a time, given back at the end. */
export interface Lease {
  /** True when `holder` now holds it until `until`: it was free, expired, or already `holder`'s. */
  claim(holder: string, now: number, until: number): ResultAsync<boolean, DependencyError>;
  release(holder: string): ResultAsync<void, DependencyError>;
}

/** A failed condition is an answer ("someone else holds it"), not a failure. */
const conditionFailed = (thrown: unknown): boolean => awsErrorName(thrown) === "ConditionalCheckFailedException";

/**
 * A lease as one item (`Holder`, `LeaseUntil`) of the checkpoint table, taken and given back with
 * conditional writes, so that two runs can never work on one job at once (not reserved concurrency,
 * which an account with the minimum concurrency quota cannot grant).
 */
export const createDynamoDbLease = (client: DynamoDBClient, tableName: string, leaseId: string): Lease => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  const leaseKey = { [SWEEP_CHECKPOINT_KEY]: { S: leaseId } };
  return {
    claim: (holder, now, until) =>
      ResultAsync.fromPromise(
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...leaseKey, Holder: { S: holder }, LeaseUntil: { N: String(until) } },
            ConditionExpression: "attribute_not_exists(#until) OR #until < :now OR #holder = :holder",
            ExpressionAttributeNames: { "#until": "LeaseUntil", "#holder": "Holder" },
            ExpressionAttributeValues: { ":now": { N: String(now) }, ":holder": { S: holder } },
          }),
        ),
        (thrown) => thrown,
      )
        .map(() => true)
        .orElse((thrown) => (conditionFailed(thrown) ? okAsync(false) : errAsync(toDomainError(thrown)))),
    release: (holder) =>
      ResultAsync.fromPromise(
        client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: leaseKey,
            ConditionExpression: "#holder = :holder",
            ExpressionAttributeNames: { "#holder": "Holder" },
            ExpressionAttributeValues: { ":holder": { S: holder } },
          }),
        ),
        (thrown) => thrown,
      )
        .map(() => undefined)
        .orElse((thrown) => (conditionFailed(thrown) ? okAsync(undefined) : errAsync(toDomainError(thrown)))),
  };
};
