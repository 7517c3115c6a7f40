import { type AttributeValue, type DynamoDBClient, paginateScan } from "@aws-sdk/client-dynamodb";
import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { LocalCloud } from "local-cloud";
import { eventually } from "local-cloud/testing";

/** What `GET /_local/faults` answers: faults injected by kind, and by where they were injected. */
export interface FaultCounts {
  readonly injected: Record<string, number>;
  readonly detail: Record<string, number>;
}

/** Replaces the local cloud's fault rules (`PUT /_local/faults`); `{}` turns every fault off. */
export const putFaults = async (cloud: LocalCloud, rules: unknown): Promise<void> => {
  const response = await fetch(`${cloud.aws.url}/_local/faults`, { method: "PUT", body: JSON.stringify(rules) });
  if (response.status !== 200) throw new Error(`PUT /_local/faults: ${response.status} ${await response.text()}`);
};

export const faultCounts = async (cloud: LocalCloud): Promise<FaultCounts> =>
  (await (await fetch(`${cloud.aws.url}/_local/faults`)).json()) as FaultCounts;

/** The counts that grew between two reports, by where they were injected. */
export const faultsBetween = (before: FaultCounts, after: FaultCounts): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after.detail)
      .map(([where, count]) => [where, count - (before.detail[where] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );

/** The physical id of a resource the template declares, as deployed in `region` (a queue URL, a table name). */
export const physicalId = (cloud: LocalCloud, region: string, logicalId: string): string => {
  const resource = cloud.regions.get(region)?.resources.get(logicalId);
  if (!resource) throw new Error(`${region} has no ${logicalId}`);
  return resource.physicalId;
};

/**
 * The template's 180 s visibility timeout (6x the function timeout, as AWS advises) would make every
 * crashed or failed batch wait 3 minutes to come back; these tests shorten it to 3x (90 s), never to
 * the function's 30 s timeout itself: with several batches in flight on two cores and throttling
 * backoff, a batch can run longer than 30 s, become visible again while it still runs, and the
 * redeliveries feed on themselves (a 10,000-event run at 30 s stalled that way).
 */
export const shortenVisibilityTimeout = async (sqs: SQSClient, url: string, seconds: number): Promise<void> => {
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: String(seconds) } }));
};

/** Messages in the queue, visible or in flight. */
export const queueDepth = async (sqs: SQSClient, url: string): Promise<number> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  return Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0);
};

/** Waits until a queue has been empty for two polls in a row (a failed batch may be about to come back). */
export const drained = async (sqs: SQSClient, url: string, timeoutMs: number): Promise<void> => {
  let emptyPolls = 0;
  await eventually(
    async () => {
      emptyPolls = (await queueDepth(sqs, url)) === 0 ? emptyPolls + 1 : 0;
      return emptyPolls;
    },
    (polls) => polls >= 2,
    timeoutMs,
  );
};

/** Everything in a queue (received and left in flight, so each message is read once), with its attributes. */
export const readAll = async (sqs: SQSClient, url: string): Promise<Message[]> => {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300, MessageAttributeNames: ["All"] }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
};

/** Every item of a table, with a consistent read. */
export const scanAll = async (dynamodb: DynamoDBClient, tableName: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: dynamodb }, { TableName: tableName, ConsistentRead: true }))
    for (const item of page.Items ?? []) items.push(unmarshall(item as Record<string, AttributeValue>));
  return items;
};

/** Messages an SQS event source has handed a function so far, from the activity lines (`<- SQS <queue>: n message(s), f failed`). */
export const messagesProcessed = (activity: readonly string[], functionAtRegion: string): number => {
  const pattern = new RegExp(
    `^${functionAtRegion.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} <- SQS [^:]+: (\\d+) message\\(s\\), (\\d+) failed`,
  );
  let processed = 0;
  for (const line of activity) {
    const match = pattern.exec(line);
    if (match) processed += Number(match[1]) - Number(match[2]);
  }
  return processed;
};

/**
 * Records per run: 10,000 (the figure), or `FAULTS_VOLUME` for a quicker run of the same
 * checks while working on them (`FAULTS_VOLUME=2000 npm run test:faults`).
 */
export const faultsVolume = (): number => {
  const text = process.env["FAULTS_VOLUME"];
  if (text === undefined || text === "") return 10_000;
  const volume = Number(text);
  if (!Number.isSafeInteger(volume) || volume < 200 || volume % 200 !== 0)
    throw new Error(`FAULTS_VOLUME must be a multiple of 200 (at least 200), got ${JSON.stringify(text)}`);
  return volume;
};

/** Whether this is the full run (10,000 records), in which every injected fault kind must fire. */
export const FULL_VOLUME = faultsVolume() === 10_000;
