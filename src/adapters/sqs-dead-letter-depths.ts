import { GetQueueAttributesCommand, ListQueuesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ResultAsync } from "neverthrow";
import { classifyAwsError } from "./aws-error-classification";

export interface QueueDepth {
  readonly queueUrl: string;
  readonly queueName: string;
  /** Messages waiting (ApproximateNumberOfMessages) and being handled right now (…NotVisible). */
  readonly visible: number;
  readonly inFlight: number;
}

/** CloudFormation names a stack's queues `{stack}-{LogicalId}-{suffix}` (the local cloud `{stack}-{LogicalId}`); dead-letter ones say so. */
const DEAD_LETTER = /dead-?letter|dlq/i;

/**
 * The depth of a stack's dead-letter queues in one region: those listed under the stack's name prefix
 * whose names say dead letter, plus any queue URL given explicitly.
 */
export const readDeadLetterDepths = (
  sqs: SQSClient,
  stackName: string,
  explicitUrls: readonly string[],
): ResultAsync<QueueDepth[], ReturnType<ReturnType<typeof classifyAwsError>>> => {
  const toDomainError = classifyAwsError("SQS");
  const list = async (): Promise<string[]> => {
    const urls: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${stackName}-`, MaxResults: 1000, NextToken: nextToken }));
      urls.push(...(page.QueueUrls ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return urls.filter((url) => DEAD_LETTER.test(url.slice(url.lastIndexOf("/") + 1)));
  };
  const depth = async (queueUrl: string): Promise<QueueDepth> => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return {
      queueUrl,
      queueName: queueUrl.slice(queueUrl.lastIndexOf("/") + 1),
      visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  };
  return ResultAsync.fromPromise(
    list().then(async (listed) => Promise.all([...new Set([...listed, ...explicitUrls])].sort().map(depth))),
    toDomainError,
  );
};
