import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ResultAsync } from "neverthrow";
import type { DeadLetterQueue } from "../domain/shared/dead-letter-queue";
import { classifyAwsError } from "./aws-error-classification";

/** SQS attributes are limited to 256 KiB per message; reasons are short, but never let one fail a send. */
const MAX_REASON_LENGTH = 1024;

/**
 * Sends input that can never succeed to the function's DLQ right away, with the reason as a message
 * attribute, instead of letting SQS redeliver it until maxReceiveCount. The original body is kept
 * unchanged so that it can be inspected and redriven.
 */
export const createSqsDeadLetterQueue = (client: SQSClient, queueUrl: string): DeadLetterQueue => {
  const toDomainError = classifyAwsError(`SQS queue ${queueUrl}`);
  return {
    send: (body, reason, delaySeconds) =>
      ResultAsync.fromPromise(
        client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: body.length > 0 ? body : "(empty message body)",
            ...(delaySeconds ? { DelaySeconds: Math.min(900, Math.max(0, Math.round(delaySeconds))) } : {}),
            MessageAttributes: { failureReason: { DataType: "String", StringValue: reason.slice(0, MAX_REASON_LENGTH) } },
          }),
        ),
        toDomainError,
      ).map(() => undefined),
  };
};
