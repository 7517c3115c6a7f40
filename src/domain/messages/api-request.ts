import { err, ok, type Result } from "neverthrow";
import { isJsonObject } from "../shared/json-fields";
import { isUsableToken, MESSAGE_ID_PATTERN, OPERATION_SEGMENT_PATTERN, UUID_PATTERN } from "./message-segments";

/** The page size of `list` when the request names none, and the most it may ask for. */
const DEFAULT_LIST_LIMIT = 25;
const MAX_LIST_LIMIT = 100;

interface Addressed {
  readonly token: string;
  readonly uuid: string;
}

/** A request that passed every check; `op` is also the second segment of its response topic. */
export type ApiRequest =
  | (Addressed & { readonly op: "query" })
  | (Addressed & { readonly op: "get" | "next" | "prev" | "delete"; readonly messageId: string })
  | (Addressed & { readonly op: "list"; readonly limit: number; readonly cursor: string | undefined });

const WITH_MESSAGE_ID = ["get", "next", "prev", "delete"] as const;

/**
 * A request that failed a check. With a `responseTopic` the caller can be told why (its token and
 * operation are safe to publish to); without one there is nobody safe to answer, only a log line.
 */
export interface RejectedRequest {
  readonly reason: string;
  readonly responseTopic: string | undefined;
  /** Echoed in the error payload when it was valid, as the sample's payloads carry it. */
  readonly uuid: string | undefined;
}

/** `response/{op}/{token}`: the only topic the API ever publishes an answer to. */
export const responseTopic = (op: string, token: string): string => `response/${op}/${token}`;

const reject = (reason: string, op: string | undefined, token: unknown, uuid?: string): Result<never, RejectedRequest> =>
  err({
    reason,
    responseTopic: op !== undefined && OPERATION_SEGMENT_PATTERN.test(op) && isUsableToken(token) ? responseTopic(op, token) : undefined,
    uuid: uuid !== undefined && UUID_PATTERN.test(uuid) ? uuid : undefined,
  });

const listOptions = (payload: Readonly<Record<string, unknown>>): Result<{ limit: number; cursor: string | undefined }, string> => {
  const { limit = DEFAULT_LIST_LIMIT, cursor } = payload;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
    return err(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  if (cursor !== undefined && cursor !== null && (typeof cursor !== "string" || !MESSAGE_ID_PATTERN.test(cursor)))
    return err("cursor must be a cursor from a previous list response");
  return ok({ limit, cursor: typeof cursor === "string" ? cursor : undefined });
};

/**
 * Parses what the topic rule `SELECT *, topic() AS topic FROM 'request/#'` hands the function: the
 * request payload's fields plus the topic. Checks the token, the operation, the number of topic
 * segments and each segment's alphabet, so that nothing unchecked reaches a response topic or a query.
 */
export const parseApiRequest = (event: unknown): Result<ApiRequest, RejectedRequest> => {
  if (!isJsonObject(event)) return reject("the request must be a JSON object", undefined, undefined);
  const { token, topic } = event;
  if (typeof topic !== "string") return reject("the request has no topic", undefined, token);
  const [root, op, uuid, messageId, ...rest] = topic.split("/");
  if (root !== "request" || op === undefined) return reject(`${JSON.stringify(topic)} is not a request topic`, undefined, token);
  if (!isUsableToken(token)) return reject("token must be 1 to 64 letters, digits, '_' or '-'", op, token);
  const isKnown = op === "query" || op === "list" || (WITH_MESSAGE_ID as readonly string[]).includes(op);
  if (!isKnown) return reject(`unknown operation ${JSON.stringify(op)} (query, get, next, prev, delete, list)`, op, token, uuid);
  if (uuid === undefined || !UUID_PATTERN.test(uuid))
    return reject("uuid must be 1 to 128 letters, digits, '_', '.', ':' or '-'", op, token);
  if (rest.length > 0) return reject(`too many topic segments for ${op}`, op, token, uuid);
  if (op === "query" || op === "list") {
    if (messageId !== undefined) return reject(`${op} takes no message id: request/${op}/{uuid}`, op, token, uuid);
    if (op === "query") return ok({ op, token, uuid });
    return listOptions(event).match(
      (options) => ok({ op, token, uuid, ...options }),
      (reason) => reject(reason, op, token, uuid),
    );
  }
  if (messageId === undefined || !MESSAGE_ID_PATTERN.test(messageId))
    return reject("messageId must be 1 to 256 letters, digits, '_', '.', ':' or '-'", op, token, uuid);
  return ok({ op: op as (typeof WITH_MESSAGE_ID)[number], token, uuid, messageId });
};
