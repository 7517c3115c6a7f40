import type { JsonObject } from "../shared/json-fields";

/**
 * The response payloads of the message API. Those of query, get, next and delete are exactly the
 * public sample's (same fields, same error texts, keys in the same alphabetical order) so that its
 * clients keep working; prev mirrors next and list is new.
 */
export type ResponsePayload = Readonly<Record<string, unknown>>;

export const queryResponse = (uuid: string, found: { newest: string; oldest: string } | undefined): ResponsePayload =>
  found ? { newestMessageId: found.newest, oldestMessageId: found.oldest, uuid } : { error: "No messages available", uuid };

export const getResponse = (uuid: string, messageId: string, body: JsonObject | undefined): ResponsePayload =>
  body ? { body, messageId, uuid } : { error: "Message not available", messageId, uuid };

export const nextResponse = (uuid: string, specifiedMessageId: string, nextMessageId: string | undefined): ResponsePayload =>
  nextMessageId !== undefined
    ? { nextMessageId, specifiedMessageId, uuid }
    : { error: "No newer messages available", specifiedMessageId, uuid };

export const prevResponse = (uuid: string, specifiedMessageId: string, previousMessageId: string | undefined): ResponsePayload =>
  previousMessageId !== undefined
    ? { previousMessageId, specifiedMessageId, uuid }
    : { error: "No older messages available", specifiedMessageId, uuid };

/** Delete answers the same whether or not the message existed: "This operation will never return an error". */
export const deleteResponse = (uuid: string, messageId: string): ResponsePayload => ({ messageId, uuid });

/** `nextCursor` is null on the last page, so a client can loop until it is. */
export const listResponse = (uuid: string, messageIds: readonly string[], nextCursor: string | undefined): ResponsePayload => ({
  messageIds,
  nextCursor: nextCursor ?? null,
  uuid,
});

/** What a request that failed validation gets, when it has a usable token. */
export const rejectedResponse = (reason: string, uuid: string | undefined): ResponsePayload => ({
  error: reason,
  ...(uuid !== undefined ? { uuid } : {}),
});

/** The payload of `notification/{uuid}` after a message for that uuid is stored. */
export const notificationPayload = (uuid: string, messageId: string): ResponsePayload => ({ messageId, uuid });

export const notificationTopic = (uuid: string): string => `notification/${uuid}`;
