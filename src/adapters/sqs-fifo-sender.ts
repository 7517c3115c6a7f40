import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ResultAsync } from "neverthrow";
import { type DependencyError, DependencyRejected, DependencyUnavailable } from "../domain/shared/errors";
import { classifyAwsError } from "./aws-error-classification";

export interface FifoMessage {
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
}

/** SQS takes at most 10 entries per SendMessageBatch. */
const BATCH = 10;

/**
 * Sends messages to a FIFO queue in batches of ten, in order, and answers per message: sent, or the
 * failure of its entry (a whole batch refused fails all of its entries). Entries are sent in input
 * order so that one item's changes (one MessageGroupId) keep their stream order on the queue.
 */
export const createSqsFifoSender = (client: SQSClient, queueUrl: string) => {
  const dependency = `SQS queue ${queueUrl}`;
  const toDomainError = classifyAwsError(dependency);
  const sendBatch = (messages: readonly FifoMessage[]): Promise<(DependencyError | undefined)[]> =>
    ResultAsync.fromPromise(
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            MessageBody: message.body,
            MessageGroupId: message.groupId,
            MessageDeduplicationId: message.deduplicationId,
          })),
        }),
      ),
      toDomainError,
    ).match(
      (output) => {
        const failed = new Map((output.Failed ?? []).map((entry) => [entry.Id, entry]));
        return messages.map((_, index): DependencyError | undefined => {
          const entry = failed.get(String(index));
          if (entry === undefined) return undefined;
          const message = `${entry.Code ?? "UnknownError"}: ${entry.Message ?? "the entry was not sent"}`;
          return entry.SenderFault ? new DependencyRejected(dependency, message) : new DependencyUnavailable(dependency, message);
        });
      },
      (error) => messages.map(() => error),
    );
  return {
    /** One result per message, in order: undefined when sent. */
    send: async (messages: readonly FifoMessage[]): Promise<(DependencyError | undefined)[]> => {
      const results: (DependencyError | undefined)[] = [];
      for (let start = 0; start < messages.length; start += BATCH) results.push(...(await sendBatch(messages.slice(start, start + BATCH))));
      return results;
    },
  };
};

export type SqsFifoSender = ReturnType<typeof createSqsFifoSender>;
