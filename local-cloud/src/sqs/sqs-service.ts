import { randomUUID } from "node:crypto";
import { AwsError, notImplemented, toAwsError } from "../endpoint/aws-error";
import type { LocalRequest, LocalResponse, LocalService } from "../endpoint/service";
import type { SqsCodec } from "./sqs-codec";
import { invalidAction, sqsErrorResponse } from "./sqs-errors";
import { sqsJsonCodec } from "./sqs-json-codec";
import { createSqsOperations } from "./sqs-operations";
import { sqsQueryCodec } from "./sqs-query-codec";
import { createSqsStore, type SqsStore } from "./sqs-store";

export interface SqsServiceOptions {
  readonly clock?: () => number;
  readonly newId?: () => string;
  /** Prefix of queue URLs (`{baseUrl}/000000000000/{name}`); by default the Host the client called. */
  readonly baseUrl?: string | (() => string);
}

/** The HTTP face of SQS plus the in-process store the Lambda event-source poller uses. */
export interface LocalSqsService extends LocalService {
  readonly store: SqsStore;
}

/** Every action of the SQS 2012-11-05 model: one the local cloud lacks is not implemented, anything else is invalid. */
const SQS_ACTIONS = new Set([
  "AddPermission",
  "CancelMessageMoveTask",
  "ChangeMessageVisibility",
  "ChangeMessageVisibilityBatch",
  "CreateQueue",
  "DeleteMessage",
  "DeleteMessageBatch",
  "DeleteQueue",
  "GetQueueAttributes",
  "GetQueueUrl",
  "ListDeadLetterSourceQueues",
  "ListMessageMoveTasks",
  "ListQueueTags",
  "ListQueues",
  "PurgeQueue",
  "ReceiveMessage",
  "RemovePermission",
  "SendMessage",
  "SendMessageBatch",
  "SetQueueAttributes",
  "StartMessageMoveTask",
  "TagQueue",
  "UntagQueue",
]);

/** Both protocols real SQS answers; the first that accepts a request decodes it and renders the answer. */
const CODECS: readonly SqsCodec[] = [sqsJsonCodec, sqsQueryCodec];

/**
 * SQS with queues kept in memory per region, answering each client in the protocol it speaks:
 * awsJson1_0 (SDK v3, AWS CLI v1) or the query protocol (Debian's AWS CLI v2, older SDKs). One set of
 * operations (`sqs-operations.ts`) behind two codecs.
 */
export const createSqsService = (options: SqsServiceOptions = {}): LocalSqsService => {
  const store = createSqsStore(options);
  const operations = createSqsOperations(store, options.baseUrl);

  const handle = async (request: LocalRequest): Promise<LocalResponse> => {
    const requestId = randomUUID();
    const codec = CODECS.find((candidate) => candidate.accepts(request));
    if (!codec) {
      return sqsErrorResponse(
        new AwsError(
          "UnsupportedProtocol",
          "SQS requests are either awsJson1_0 (X-Amz-Target: AmazonSQS.<Action>) or the query protocol " +
            "(Action=<Action> in an application/x-www-form-urlencoded body or the query string); this one is neither",
          400,
        ),
      );
    }
    try {
      const call = codec.decode(request);
      const operation = Object.hasOwn(operations, call.action) ? operations[call.action] : undefined;
      if (!operation) throw SQS_ACTIONS.has(call.action) ? notImplemented("sqs", call.action) : invalidAction(call.action);
      return codec.encode(call, await operation(call.input, request), requestId);
    } catch (thrown) {
      return codec.encodeError(toAwsError(thrown), requestId);
    }
  };

  const codecOf = (request: LocalRequest): SqsCodec => CODECS.find((candidate) => candidate.accepts(request)) ?? sqsJsonCodec;

  return {
    name: "sqs",
    store,
    handle,
    operationOf: (request) => {
      try {
        return codecOf(request).decode(request).action;
      } catch {
        return undefined;
      }
    },
    errorResponse: (request, error) => codecOf(request).encodeError(toAwsError(error), randomUUID()),
    close: async () => store.close(),
  };
};
