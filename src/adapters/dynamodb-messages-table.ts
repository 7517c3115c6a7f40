import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { StoredMessage } from "../domain/messages/stored-message";
import type { JsonObject } from "../domain/shared/json-fields";

/** Attribute names of the messages table (the template declares the same keys and TTL attribute). */
export const MESSAGES_TABLE = { partitionKey: "uuid", sortKey: "messageId", body: "body", ttlAttribute: "expiresAt" } as const;

/** A message as the table's item. */
export const toItem = (message: StoredMessage): Record<string, AttributeValue> =>
  marshall(
    {
      [MESSAGES_TABLE.partitionKey]: message.uuid,
      [MESSAGES_TABLE.sortKey]: message.messageId,
      [MESSAGES_TABLE.body]: message.body,
      ...(message.expiresAt !== undefined ? { [MESSAGES_TABLE.ttlAttribute]: message.expiresAt } : {}),
    },
    { removeUndefinedValues: true },
  );

/** The table's item as a message. */
export const fromItem = (uuid: string, messageId: string, stored: Record<string, AttributeValue>): StoredMessage => {
  const item = unmarshall(stored);
  const expiresAt = item[MESSAGES_TABLE.ttlAttribute] as number | undefined;
  return { uuid, messageId, body: item[MESSAGES_TABLE.body] as JsonObject, ...(expiresAt !== undefined ? { expiresAt } : {}) };
};

export const keyOf = (uuid: string, messageId: string): Record<string, AttributeValue> => ({
  [MESSAGES_TABLE.partitionKey]: { S: uuid },
  [MESSAGES_TABLE.sortKey]: { S: messageId },
});
