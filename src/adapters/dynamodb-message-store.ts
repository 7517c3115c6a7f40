import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { ResultAsync } from "neverthrow";
import type { MessageStore } from "../domain/messages/message-ports";
import { classifyAwsError } from "./aws-error-classification";
import { fromItem, keyOf, MESSAGES_TABLE } from "./dynamodb-messages-table";

/**
 * The messages table as the API reads it: Query on the sort key for everything it lists or steps
 * through, so that no request scans; GetItem and DeleteItem by key.
 */
export const createDynamoDbMessageStore = (client: DynamoDBClient, tableName: string): MessageStore => {
  const toDomainError = classifyAwsError(`DynamoDB table ${tableName}`);
  const attempt = <T>(promise: Promise<T>) => ResultAsync.fromPromise(promise, toDomainError);
  /** Message ids of one uuid, in id order (or reversed), optionally only those after/before `bound`. */
  const queryIds = (
    uuid: string,
    options: { forward: boolean; limit: number; bound?: { operator: ">" | "<"; messageId: string }; startAfter?: string },
  ) =>
    attempt(
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: `#uuid = :uuid${options.bound ? ` AND #id ${options.bound.operator} :id` : ""}`,
          ExpressionAttributeNames: { "#uuid": MESSAGES_TABLE.partitionKey, "#id": MESSAGES_TABLE.sortKey },
          ExpressionAttributeValues: { ":uuid": { S: uuid }, ...(options.bound ? { ":id": { S: options.bound.messageId } } : {}) },
          ProjectionExpression: "#id",
          ScanIndexForward: options.forward,
          Limit: options.limit,
          ...(options.startAfter !== undefined ? { ExclusiveStartKey: keyOf(uuid, options.startAfter) } : {}),
        }),
      ),
    ).map((output) => ({
      messageIds: (output.Items ?? []).flatMap((item) =>
        item[MESSAGES_TABLE.sortKey]?.S !== undefined ? [item[MESSAGES_TABLE.sortKey]?.S as string] : [],
      ),
      lastEvaluated: output.LastEvaluatedKey?.[MESSAGES_TABLE.sortKey]?.S,
    }));

  return {
    newestAndOldest: (uuid) => {
      const edge = (newestFirst: boolean) => queryIds(uuid, { forward: !newestFirst, limit: 1 }).map((page) => page.messageIds[0]);
      return ResultAsync.combine([edge(true), edge(false)]).map(([newest, oldest]) =>
        newest !== undefined && oldest !== undefined ? { newest, oldest } : undefined,
      );
    },

    get: (uuid, messageId) =>
      attempt(client.send(new GetItemCommand({ TableName: tableName, Key: keyOf(uuid, messageId), ConsistentRead: true }))).map((output) =>
        output.Item ? fromItem(uuid, messageId, output.Item) : undefined,
      ),

    adjacent: (uuid, messageId, direction) =>
      queryIds(uuid, { forward: direction === "next", limit: 1, bound: { operator: direction === "next" ? ">" : "<", messageId } }).map(
        (page) => page.messageIds[0],
      ),

    delete: (uuid, messageId) =>
      attempt(client.send(new DeleteItemCommand({ TableName: tableName, Key: keyOf(uuid, messageId) }))).map(() => undefined),

    listPage: (uuid, limit, cursor) =>
      queryIds(uuid, { forward: true, limit, ...(cursor !== undefined ? { startAfter: cursor } : {}) }).map((page) => ({
        messageIds: page.messageIds,
        nextCursor: page.lastEvaluated,
      })),
  };
};
