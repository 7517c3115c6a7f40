import { randomUUID } from "node:crypto";
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import mqtt from "mqtt";

/** A message the function published over MQTT while it ran. */
export interface PublishedMessage {
  readonly topic: string;
  readonly payload: string;
}

/**
 * Every MQTT message published on a region's broker from now until `collect()`: a subscriber to `#`
 * (AWS IoT, and aedes, do not deliver `$aws/...` topics to it). `collect()` publishes a marker of its
 * own and returns what arrived before it: the broker delivers one client's messages in order, so
 * whatever the function published before its invocation returned has arrived by then, with no waiting.
 */
export const watchMqtt = async (brokerUrl: string): Promise<{ collect(): Promise<PublishedMessage[]> }> => {
  const client = await mqtt.connectAsync(brokerUrl, { clientId: `local-invoke-${randomUUID().slice(0, 8)}`, reconnectPeriod: 0 });
  const marker = `local/invoke/${randomUUID()}`;
  const received: PublishedMessage[] = [];
  let markerSeen: () => void = () => undefined;
  const markerArrived = new Promise<void>((resolve) => {
    markerSeen = resolve;
  });
  client.on("message", (topic, payload) => {
    if (topic === marker) markerSeen();
    else received.push({ topic, payload: payload.toString("utf8") });
  });
  await client.subscribeAsync("#", { qos: 1 });
  return {
    collect: async () => {
      await client.publishAsync(marker, "", { qos: 1 });
      await markerArrived;
      await client.endAsync(true);
      return received;
    },
  };
};

/** A message found on a dead-letter queue, with the reason the product gives (`failureReason`). */
export interface DeadLetter {
  readonly queueUrl: string;
  readonly body: string;
  readonly failureReason: string | undefined;
  readonly sentAt: number;
}

/** The URLs of the region's dead-letter queues: every queue that some queue's RedrivePolicy names as its target. */
export const deadLetterQueues = async (sqs: SQSClient): Promise<string[]> => {
  const urls = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
  const attributes = await Promise.all(
    urls.map((url) => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn", "RedrivePolicy"] }))),
  );
  const targets = new Set(
    attributes
      .map((answer) => answer.Attributes?.RedrivePolicy)
      .flatMap((policy) => (policy ? [JSON.parse(policy).deadLetterTargetArn as string] : [])),
  );
  return urls.filter((_, i) => targets.has(attributes[i]?.Attributes?.QueueArn ?? ""));
};

const PEEK_LIMIT = 100;

/**
 * The messages on a queue sent at or after `since`, left as they were: read with a visibility
 * timeout, then made visible again at once (SQS has no peek; this is the usual stand-in).
 */
export const peekDeadLetters = async (sqs: SQSClient, queueUrl: string, since: number): Promise<DeadLetter[]> => {
  const seen: Message[] = [];
  while (seen.length < PEEK_LIMIT) {
    const batch = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["SentTimestamp"],
      }),
    );
    if (!batch.Messages?.length) break;
    seen.push(...batch.Messages);
  }
  for (let i = 0; i < seen.length; i += 10) {
    const entries = seen
      .slice(i, i + 10)
      .map((message, j) => ({ Id: String(j), ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
  return seen
    .map((message) => ({
      queueUrl,
      body: message.Body ?? "",
      failureReason: message.MessageAttributes?.failureReason?.StringValue,
      sentAt: Number(message.Attributes?.SentTimestamp ?? 0),
    }))
    .filter((letter) => letter.sentAt >= since)
    .sort((a, b) => a.sentAt - b.sentAt);
};
