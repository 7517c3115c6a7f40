import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ResultAsync } from "neverthrow";
import type { DependencyError } from "../domain/shared/errors";
import { classifyAwsError } from "./aws-error-classification";

export interface ParkedSqsMessage {
  readonly body: string;
  readonly receiptHandle: string;
  readonly failureReason: string | undefined;
  readonly receiveCount: number;
}

/**
 * The applier's dead-letter queue as the redrive reads it: a batch of messages at a time (each then
 * invisible for the queue's visibility timeout) and a delete once a message's entities are applied.
 * What is not deleted becomes visible again for the next scheduled run.
 */
export const createSqsParkedMessages = (client: SQSClient, queueUrl: string) => {
  const toDomainError = classifyAwsError(`SQS queue ${queueUrl}`);
  return {
    receive: (): ResultAsync<ParkedSqsMessage[], DependencyError> =>
      ResultAsync.fromPromise(
        client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            MessageAttributeNames: ["failureReason"],
            MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          }),
        ),
        toDomainError,
      ).map(({ Messages }) =>
        (Messages ?? []).map((message) => ({
          body: message.Body ?? "",
          receiptHandle: message.ReceiptHandle ?? "",
          failureReason: message.MessageAttributes?.["failureReason"]?.StringValue,
          receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? "1"),
        })),
      ),
    remove: (receiptHandle: string): ResultAsync<void, DependencyError> =>
      ResultAsync.fromPromise(
        client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle })),
        toDomainError,
      ).map(() => undefined),
  };
};
