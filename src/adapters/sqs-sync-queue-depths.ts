import { GetQueueAttributesCommand, ListQueuesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ResultAsync } from "neverthrow";
import { classifyAwsError } from "./aws-error-classification";

/** One of the table sync's queues in one region, by its logical id in the template. */
export interface SyncQueueDepth {
  readonly logicalId: "SyncQueue" | "SyncDeadLetterQueue" | "SyncForwardDeadLetterQueue";
  readonly queueUrl: string;
  /** Waiting (ApproximateNumberOfMessages), being written right now (…NotVisible), and delayed (…Delayed). */
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export interface SyncQueues {
  readonly region: string;
  /** Empty when the stack in this region has no table sync (SyncSourceTableName empty). */
  readonly queues: readonly SyncQueueDepth[];
}

const LOGICAL_IDS = ["SyncQueue", "SyncDeadLetterQueue", "SyncForwardDeadLetterQueue"] as const;

/** The queue's logical id from its name: CloudFormation says `{stack}-{LogicalId}-{suffix}[.fifo]`, the local cloud `{stack}-{LogicalId}[.fifo]`. */
const logicalIdOf = (stackName: string, queueName: string): SyncQueueDepth["logicalId"] | undefined => {
  const rest = queueName.slice(stackName.length + 1).replace(/\.fifo$/, "");
  return LOGICAL_IDS.find((id) => rest === id || rest.startsWith(`${id}-`));
};

/** The depths of a stack's table sync queues (the FIFO backlog and both dead-letter queues) in one region. */
export const readSyncQueueDepths = (
  sqs: SQSClient,
  region: string,
  stackName: string,
): ResultAsync<SyncQueues, ReturnType<ReturnType<typeof classifyAwsError>>> => {
  const toDomainError = classifyAwsError("SQS");
  const read = async (): Promise<SyncQueues> => {
    const found: { logicalId: SyncQueueDepth["logicalId"]; queueUrl: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${stackName}-Sync`, MaxResults: 1000, NextToken: nextToken }));
      for (const queueUrl of page.QueueUrls ?? []) {
        const logicalId = logicalIdOf(stackName, queueUrl.slice(queueUrl.lastIndexOf("/") + 1));
        if (logicalId !== undefined) found.push({ logicalId, queueUrl });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    const queues = await Promise.all(
      found.map(async ({ logicalId, queueUrl }): Promise<SyncQueueDepth> => {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
          }),
        );
        return {
          logicalId,
          queueUrl,
          visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
          inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
          delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
        };
      }),
    );
    return { region, queues: queues.sort((a, b) => LOGICAL_IDS.indexOf(a.logicalId) - LOGICAL_IDS.indexOf(b.logicalId)) };
  };
  return ResultAsync.fromPromise(read(), toDomainError);
};
