import { type MessageAttributes, md5OfMessageAttributes, selectedBy, selectMessageAttributes } from "./message-attributes";
import type { StoredMessage } from "./sqs-queue";

/** A received message in the shape SQS answers ReceiveMessage with (and Lambda's SQS event is built from). */
export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly MD5OfBody: string;
  readonly Body: string;
  readonly Attributes?: Record<string, string>;
  readonly MD5OfMessageAttributes?: string;
  readonly MessageAttributes?: MessageAttributes;
}

/** Which system and message attributes a receiver asked for (`All` works for both). */
export interface AttributeSelection {
  /** Union of the legacy AttributeNames and MessageSystemAttributeNames. */
  readonly systemAttributeNames?: readonly string[];
  readonly messageAttributeNames?: readonly string[];
}

const systemAttributesOf = (message: StoredMessage): Record<string, string | undefined> => ({
  SenderId: message.senderId,
  SentTimestamp: String(message.sentTimestamp),
  ApproximateReceiveCount: String(message.receiveCount),
  ApproximateFirstReceiveTimestamp: message.firstReceiveTimestamp === undefined ? undefined : String(message.firstReceiveTimestamp),
  MessageGroupId: message.groupId,
  MessageDeduplicationId: message.deduplicationId,
  SequenceNumber: message.sequenceNumber,
  DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
});

/** Renders a message for a receiver with just the attributes it selected. */
export const toReceivedMessage = (message: StoredMessage, receiptHandle: string, selection: AttributeSelection): ReceivedMessage => {
  const attributes = Object.fromEntries(
    Object.entries(systemAttributesOf(message)).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && selectedBy(selection.systemAttributeNames, entry[0]),
    ),
  );
  const messageAttributes = selectMessageAttributes(message.messageAttributes, selection.messageAttributeNames);
  const md5OfAttributes = messageAttributes ? md5OfMessageAttributes(messageAttributes) : undefined;
  return {
    MessageId: message.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(messageAttributes ? { MD5OfMessageAttributes: md5OfAttributes, MessageAttributes: messageAttributes } : {}),
  };
};
