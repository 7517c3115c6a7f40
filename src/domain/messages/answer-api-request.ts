import type { ResultAsync } from "neverthrow";
import type { DependencyError } from "../shared/errors";
import { type ApiRequest, responseTopic } from "./api-request";
import {
  deleteResponse,
  getResponse,
  listResponse,
  nextResponse,
  prevResponse,
  queryResponse,
  type ResponsePayload,
} from "./api-responses";
import type { MessageStore } from "./message-ports";

/** Where and what to answer. */
export interface ApiAnswer {
  readonly topic: string;
  readonly payload: ResponsePayload;
}

/**
 * Answers one validated request from the store. A missing message is an answer (the sample's error
 * payloads), not a failure; only a store that cannot be reached is an error, for the handler to retry.
 */
export const answerApiRequest = (request: ApiRequest, store: MessageStore): ResultAsync<ApiAnswer, DependencyError> => {
  const topic = responseTopic(request.op, request.token);
  const answer = (payload: ResultAsync<ResponsePayload, DependencyError>) => payload.map((built) => ({ topic, payload: built }));
  switch (request.op) {
    case "query":
      return answer(store.newestAndOldest(request.uuid).map((found) => queryResponse(request.uuid, found)));
    case "get":
      return answer(store.get(request.uuid, request.messageId).map((found) => getResponse(request.uuid, request.messageId, found?.body)));
    case "next":
      return answer(store.adjacent(request.uuid, request.messageId, "next").map((id) => nextResponse(request.uuid, request.messageId, id)));
    case "prev":
      return answer(store.adjacent(request.uuid, request.messageId, "prev").map((id) => prevResponse(request.uuid, request.messageId, id)));
    case "delete":
      return answer(store.delete(request.uuid, request.messageId).map(() => deleteResponse(request.uuid, request.messageId)));
    case "list":
      return answer(
        store
          .listPage(request.uuid, request.limit, request.cursor)
          .map((page) => listResponse(request.uuid, page.messageIds, page.nextCursor)),
      );
  }
};
