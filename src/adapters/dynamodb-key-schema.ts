import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ResultAsync } from "neverthrow";
import type { DependencyError } from "../domain/shared/errors";
import { classifyAwsError } from "./aws-error-classification";

/** The key attribute names of a table (hash, then range), for commands that scan it and need each item's key. */
export const readKeySchema = (client: DynamoDBClient, tableName: string): ResultAsync<string[], DependencyError> =>
  ResultAsync.fromPromise(
    client.send(new DescribeTableCommand({ TableName: tableName })),
    classifyAwsError(`DynamoDB table ${tableName}`),
  ).map((output) =>
    [...(output.Table?.KeySchema ?? [])]
      .sort((a, b) => (a.KeyType === "HASH" ? -1 : b.KeyType === "HASH" ? 1 : 0))
      .map((element) => element.AttributeName ?? ""),
  );
