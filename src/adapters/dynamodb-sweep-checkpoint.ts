import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { ResultAsync } from "neverthrow";
import type { SweepCheckpoint, SweepCheckpointStore } from "../domain/registry/sweep-ports";
import { classifyAwsError } from "./aws-error-classification";
import { createDynamoDbLease, SWEEP_CHECKPOINT_KEY } from "./dynamodb-lease";

export { SWEEP_CHECKPOINT_KEY };

/** What is stored is what this adapter wrote; anything else is no checkpoint (the pass starts over). */
const toCheckpoint = (item: Record<string, unknown>): SweepCheckpoint | undefined => {
  const { PassStartedAt, ResumeToken, Listed, RejectedKeys } = item;
  if (typeof PassStartedAt !== "number" || typeof Listed !== "boolean") return undefined;
  if (ResumeToken !== undefined && typeof ResumeToken !== "string") return undefined;
  const keys = Array.isArray(RejectedKeys) ? RejectedKeys.filter((key): key is string => typeof key === "string") : [];
  return { passStartedAt: PassStartedAt, resumeToken: ResumeToken, listed: Listed, rejectedKeys: keys };
};

/**
 * A region's sweep checkpoint: one item (`SweepId` = `registry-sweep#{region}`) in a small regional
 * table, read with a strongly consistent read, so that the next invocation always sees the last page
 * the previous one saved. Not in the replica: that is a global table whose stream drives the appliers.
 * The lease is a second item (`registry-sweep-lease#{region}`), so that two runs can never work on one
 * pass at once.
 */
export const createDynamoDbSweepCheckpointStore = (client: DynamoDBClient, tableName: string, region: string): SweepCheckpointStore => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  const key = { [SWEEP_CHECKPOINT_KEY]: { S: `registry-sweep#${region}` } };
  return {
    ...createDynamoDbLease(client, tableName, `registry-sweep-lease#${region}`),
    load: () =>
      ResultAsync.fromPromise(client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true })), toDomainError).map(
        (answer) => (answer.Item ? toCheckpoint(unmarshall(answer.Item)) : undefined),
      ),
    save: (checkpoint) =>
      ResultAsync.fromPromise(
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...key,
              ...marshall(
                {
                  PassStartedAt: checkpoint.passStartedAt,
                  ResumeToken: checkpoint.resumeToken,
                  Listed: checkpoint.listed,
                  RejectedKeys: [...checkpoint.rejectedKeys],
                },
                { removeUndefinedValues: true },
              ),
            },
          }),
        ),
        toDomainError,
      ).map(() => undefined),
    clear: () =>
      ResultAsync.fromPromise(client.send(new DeleteItemCommand({ TableName: tableName, Key: key })), toDomainError).map(() => undefined),
  };
};
