import { createHash } from "node:crypto";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ResultAsync } from "neverthrow";
import type { DeadLetterQueue } from "../domain/shared/dead-letter-queue";
import { classifyAwsError } from "./aws-error-classification";

const MAX_REASON_LENGTH = 1024;

/**
 * The dead-letter queue of a FIFO queue (itself FIFO, as SQS requires): a refused message goes there
 * at once with its reason, in one group (dead letters are read by people, in arrival order), deduplicated
 * on its body and reason so that a retried dead-lettering within SQS's 5 minutes is not doubled.
 */
export const createSqsFifoDeadLetterQueue = (client: SQSClient, queueUrl: string): DeadLetterQueue => {
  const toDomainError = classifyAwsError(`SQS queue ${queueUrl}`);
  return {
    send: (body, reason) =>
      ResultAsync.fromPromise(
        client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: body.length > 0 ? body : "(empty message body)",
            MessageGroupId: "dead-letters",
            MessageDeduplicationId: createHash("sha256").update(body).update("\n").update(reason).digest("hex"),
            MessageAttributes: { failureReason: { DataType: "String", StringValue: reason.slice(0, MAX_REASON_LENGTH) } },
          }),
        ),
        toDomainError,
      ).map(() => undefined),
  };
};
