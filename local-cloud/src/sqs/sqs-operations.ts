import { LOCAL_ACCOUNT_ID, type LocalRequest } from "../endpoint/service";
import { runBatch } from "./batch-entries";
import { type MessageAttributes, validateMessageAttributes } from "./message-attributes";
import { invalidParameterValue, missingParameter, queueDoesNotExist } from "./sqs-errors";
import type { SqsQueue } from "./sqs-queue";
import type { SqsStore } from "./sqs-store";

// biome-ignore lint/suspicious/noExplicitAny: operation inputs and outputs in the awsJson1_0 shape (the query codec decodes into the same shape); each operation checks the fields it reads
export type Json = Record<string, any>;
export type SqsOperation = (input: Json, request: LocalRequest) => Json | Promise<Json>;

const MAX_LIST_RESULTS = 1000;

const required = <T>(input: Json, name: string): T => {
  const value = input[name] as T | undefined;
  if (value === undefined || value === null || value === "") throw missingParameter(name);
  return value;
};

/**
 * The SQS operations, once, whatever protocol the request came in: inputs and outputs have the shape
 * of the awsJson1_0 protocol (SDK v3, AWS CLI v1), and the query codec (Debian's AWS CLI v2, older
 * SDKs) decodes into and encodes from that same shape. Queue URLs name the queue; the region comes
 * from the signature.
 */
export const createSqsOperations = (
  store: SqsStore,
  baseUrlOption: string | (() => string) | undefined,
): Readonly<Record<string, SqsOperation>> => {
  const baseUrlFor = (request: LocalRequest): string => {
    if (typeof baseUrlOption === "function") return baseUrlOption();
    if (baseUrlOption) return baseUrlOption;
    return `http://${request.headers.host ?? "127.0.0.1"}`;
  };
  const queueUrl = (request: LocalRequest, queue: SqsQueue): string => `${baseUrlFor(request)}/${LOCAL_ACCOUNT_ID}/${queue.name}`;

  const queueOf = (input: Json, request: LocalRequest): SqsQueue => {
    const url = required<string>(input, "QueueUrl");
    let segments: string[];
    try {
      segments = new URL(url).pathname.split("/").filter(Boolean);
    } catch {
      segments = url.split("/").filter(Boolean);
    }
    const [account, name] = segments.slice(-2);
    if (!name || account !== LOCAL_ACCOUNT_ID) throw queueDoesNotExist();
    return store.queueByName(request.region, decodeURIComponent(name));
  };

  const sendInput = (queue: SqsQueue, entry: Json, request: LocalRequest) => {
    const body = entry.MessageBody;
    if (typeof body !== "string") throw missingParameter("MessageBody");
    const delaySeconds = entry.DelaySeconds as number | undefined;
    if (delaySeconds !== undefined && (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 900)) {
      throw invalidParameterValue(
        `Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
      );
    }
    if (!queue.fifo && entry.MessageDeduplicationId !== undefined) {
      throw invalidParameterValue("The request include parameter that is not valid for this queue type");
    }
    return {
      body,
      ...(delaySeconds !== undefined ? { delaySeconds } : {}),
      messageAttributes: validateMessageAttributes(entry.MessageAttributes as MessageAttributes | undefined),
      ...(queue.fifo && entry.MessageGroupId !== undefined ? { groupId: String(entry.MessageGroupId) } : {}),
      ...(entry.MessageDeduplicationId !== undefined ? { deduplicationId: String(entry.MessageDeduplicationId) } : {}),
      senderId: request.accessKeyId,
    };
  };

  const sendResult = (queue: SqsQueue, entry: Json, request: LocalRequest): Json => {
    const outcome = store.sendMessage(queue, sendInput(queue, entry, request));
    return {
      MessageId: outcome.messageId,
      MD5OfMessageBody: outcome.md5OfBody,
      ...(outcome.md5OfMessageAttributes ? { MD5OfMessageAttributes: outcome.md5OfMessageAttributes } : {}),
      ...(outcome.sequenceNumber ? { SequenceNumber: outcome.sequenceNumber } : {}),
    };
  };

  return {
    CreateQueue: (input, request) => {
      const queue = store.createQueue(request.region, required<string>(input, "QueueName"), input.Attributes, input.tags);
      return { QueueUrl: queueUrl(request, queue) };
    },
    GetQueueUrl: (input, request) => {
      const owner = input.QueueOwnerAWSAccountId as string | undefined;
      if (owner !== undefined && owner !== LOCAL_ACCOUNT_ID) throw queueDoesNotExist();
      return { QueueUrl: queueUrl(request, store.queueByName(request.region, required<string>(input, "QueueName"))) };
    },
    ListQueues: (input, request) => {
      const maxResults = input.MaxResults as number | undefined;
      if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_LIST_RESULTS)) {
        throw invalidParameterValue("Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.");
      }
      const after = input.NextToken ? Buffer.from(String(input.NextToken), "base64url").toString() : "";
      const queues = store
        .listQueues(request.region, (input.QueueNamePrefix as string | undefined) ?? "")
        .filter((queue) => queue.name > after);
      const page = queues.slice(0, maxResults ?? MAX_LIST_RESULTS);
      const more = maxResults !== undefined && queues.length > page.length;
      return {
        QueueUrls: page.map((queue) => queueUrl(request, queue)),
        ...(more ? { NextToken: Buffer.from(page[page.length - 1]!.name).toString("base64url") } : {}),
      };
    },
    DeleteQueue: (input, request) => {
      store.deleteQueue(request.region, queueOf(input, request).name);
      return {};
    },
    GetQueueAttributes: (input, request) => ({ Attributes: store.queueAttributes(queueOf(input, request), input.AttributeNames ?? []) }),
    SetQueueAttributes: (input, request) => {
      store.setQueueAttributes(queueOf(input, request), required<Record<string, string>>(input, "Attributes"));
      return {};
    },
    SendMessage: (input, request) => sendResult(queueOf(input, request), input, request),
    SendMessageBatch: (input, request) => {
      const queue = queueOf(input, request);
      return runBatch(input.Entries as Json[] | undefined, (entry) => sendResult(queue, entry, request));
    },
    ReceiveMessage: async (input, request) => {
      const messages = await store.receiveMessages(queueOf(input, request), {
        maxNumberOfMessages: input.MaxNumberOfMessages,
        visibilityTimeoutSeconds: input.VisibilityTimeout,
        waitTimeSeconds: input.WaitTimeSeconds,
        systemAttributeNames: [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])],
        messageAttributeNames: input.MessageAttributeNames ?? [],
      });
      return messages.length > 0 ? { Messages: messages } : {};
    },
    DeleteMessage: (input, request) => {
      store.deleteMessage(queueOf(input, request), required<string>(input, "ReceiptHandle"));
      return {};
    },
    DeleteMessageBatch: (input, request) => {
      const queue = queueOf(input, request);
      return runBatch(input.Entries as Json[] | undefined, (entry) => {
        store.deleteMessage(queue, required<string>(entry, "ReceiptHandle"));
        return {};
      });
    },
    ChangeMessageVisibility: (input, request) => {
      store.changeMessageVisibility(
        queueOf(input, request),
        required<string>(input, "ReceiptHandle"),
        required<number>(input, "VisibilityTimeout"),
      );
      return {};
    },
    ChangeMessageVisibilityBatch: (input, request) => {
      const queue = queueOf(input, request);
      return runBatch(input.Entries as Json[] | undefined, (entry) => {
        store.changeMessageVisibility(queue, required<string>(entry, "ReceiptHandle"), required<number>(entry, "VisibilityTimeout"));
        return {};
      });
    },
    PurgeQueue: (input, request) => {
      store.purgeQueue(queueOf(input, request));
      return {};
    },
    ListDeadLetterSourceQueues: (input, request) => {
      const target = queueOf(input, request);
      const sources = store.listQueues(request.region).filter((queue) => queue.settings.redrivePolicy?.deadLetterTargetArn === target.arn);
      return { queueUrls: sources.map((queue) => queueUrl(request, queue)) };
    },
    ListQueueTags: (input, request) => {
      const tags = queueOf(input, request).tags;
      return Object.keys(tags).length > 0 ? { Tags: { ...tags } } : {};
    },
    TagQueue: (input, request) => {
      Object.assign(queueOf(input, request).tags, required<Record<string, string>>(input, "Tags"));
      return {};
    },
    UntagQueue: (input, request) => {
      const tags = queueOf(input, request).tags;
      for (const key of required<string[]>(input, "TagKeys")) delete tags[key];
      return {};
    },
  };
};
