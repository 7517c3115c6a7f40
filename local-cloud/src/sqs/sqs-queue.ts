import { createHash } from "node:crypto";
import { type MessageAttributes, md5Hex, md5OfMessageAttributes } from "./message-attributes";
import { type QueueSettings, settingsOf } from "./queue-attributes";
import { invalidParameterValue, receiptHandleIsInvalid, SqsError } from "./sqs-errors";

/** One message as the queue keeps it; `receiptToken` is set from its first receive on. */
export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: MessageAttributes;
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  readonly deadLetterQueueSourceArn?: string;
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  receiptToken?: string;
}

export interface SendMessageInput {
  readonly body: string;
  readonly delaySeconds?: number;
  readonly messageAttributes: MessageAttributes;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly senderId: string;
}

export interface SendMessageOutcome {
  readonly messageId: string;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly sequenceNumber?: string;
}

/** The FIFO deduplication interval: a repeated deduplication id within it is accepted but not enqueued. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

const encodeReceiptHandle = (queueArn: string, messageId: string, token: string): string =>
  Buffer.from(JSON.stringify([queueArn, messageId, token])).toString("base64url");

const decodeReceiptHandle = (handle: string): [string, string, string] | undefined => {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(handle, "base64url").toString());
    return Array.isArray(decoded) && decoded.length === 3 && decoded.every((part) => typeof part === "string")
      ? (decoded as [string, string, string])
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One queue's messages and the SQS rules about them: delays, visibility timeouts, receive counts,
 * retention, and for FIFO queues message groups (one in-flight batch per group, in order),
 * deduplication and sequence numbers. Time is always passed in, in epoch milliseconds.
 */
export class SqsQueue {
  private messages: StoredMessage[] = [];
  private readonly deduplication = new Map<string, SendMessageOutcome & { readonly expiresAt: number }>();
  private nextSequenceNumber = 1n;
  attributes: Record<string, string>;
  settings: QueueSettings;
  lastModifiedSeconds: number;

  constructor(
    readonly name: string,
    readonly region: string,
    readonly arn: string,
    attributes: Record<string, string>,
    readonly createdSeconds: number,
    readonly tags: Record<string, string>,
  ) {
    this.attributes = attributes;
    this.settings = settingsOf(attributes);
    this.lastModifiedSeconds = createdSeconds;
  }

  get fifo(): boolean {
    return this.settings.fifoQueue;
  }

  setAttributes(normalised: Record<string, string>, nowSeconds: number): void {
    this.attributes = { ...this.attributes, ...normalised };
    for (const [name, value] of Object.entries(normalised)) if (value === "") delete this.attributes[name];
    this.settings = settingsOf(this.attributes);
    this.lastModifiedSeconds = nowSeconds;
  }

  send(input: SendMessageInput, now: number, newId: () => string): SendMessageOutcome {
    if (Buffer.byteLength(input.body) > this.settings.maximumMessageSize) {
      throw invalidParameterValue(
        `One or more parameters are invalid. Reason: Message must be shorter than ${this.settings.maximumMessageSize} bytes.`,
      );
    }
    if (input.body.length === 0) throw new SqsError("MissingParameter", "The request must contain the parameter MessageBody.");
    const md5OfBody = md5Hex(input.body);
    const md5OfAttributes = md5OfMessageAttributes(input.messageAttributes);
    const md5s = { md5OfBody, ...(md5OfAttributes ? { md5OfMessageAttributes: md5OfAttributes } : {}) };
    let fifoFields: { groupId?: string; deduplicationId?: string; sequenceNumber?: string } = {};
    if (this.fifo) {
      if (!input.groupId) throw new SqsError("MissingParameter", "The request must contain the parameter MessageGroupId.");
      if (input.delaySeconds !== undefined && input.delaySeconds !== 0) {
        throw invalidParameterValue(
          "Value for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
        );
      }
      const deduplicationId =
        input.deduplicationId ??
        (this.settings.contentBasedDeduplication ? createHash("sha256").update(input.body).digest("hex") : undefined);
      if (!deduplicationId) {
        throw invalidParameterValue(
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
        );
      }
      const scopeKey = this.attributes.DeduplicationScope === "messageGroup" ? `${input.groupId}\u0000${deduplicationId}` : deduplicationId;
      const previous = this.deduplication.get(scopeKey);
      if (previous && previous.expiresAt > now)
        return { ...md5s, messageId: previous.messageId, ...(previous.sequenceNumber ? { sequenceNumber: previous.sequenceNumber } : {}) };
      const sequenceNumber = String(this.nextSequenceNumber++).padStart(20, "0");
      fifoFields = { groupId: input.groupId, deduplicationId, sequenceNumber };
      const messageId = newId();
      this.deduplication.set(scopeKey, { messageId, md5OfBody, sequenceNumber, expiresAt: now + DEDUPLICATION_WINDOW_MS });
      this.enqueue({
        messageId,
        body: input.body,
        md5OfBody,
        messageAttributes: input.messageAttributes,
        sentTimestamp: now,
        senderId: input.senderId,
        ...fifoFields,
        visibleAt: now + this.settings.delaySeconds * 1000,
        receiveCount: 0,
      });
      return { ...md5s, messageId, sequenceNumber };
    }
    const delaySeconds = input.delaySeconds ?? this.settings.delaySeconds;
    const messageId = newId();
    this.enqueue({
      messageId,
      body: input.body,
      md5OfBody,
      messageAttributes: input.messageAttributes,
      sentTimestamp: now,
      senderId: input.senderId,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
    });
    return { ...md5s, messageId };
  }

  /** Adds a message as it is (used by send and by redrive from a source queue). */
  enqueue(message: StoredMessage): void {
    this.messages.push(message);
  }

  /**
   * Takes up to `max` receivable messages and makes them in flight. A message that has already been
   * received maxReceiveCount times is offered to `redrive` first (the dead-letter queue) instead.
   */
  receive(
    now: number,
    max: number,
    visibilityTimeoutSeconds: number,
    newId: () => string,
    redrive: (message: StoredMessage) => boolean,
  ): { message: StoredMessage; receiptHandle: string }[] {
    this.dropExpired(now);
    const blockedGroups = new Set<string>();
    for (const message of this.messages)
      if (message.groupId && message.receiptToken && message.visibleAt > now) blockedGroups.add(message.groupId);
    const taken: { message: StoredMessage; receiptHandle: string }[] = [];
    const maxReceiveCount = this.settings.redrivePolicy?.maxReceiveCount;
    for (const message of [...this.messages]) {
      if (taken.length >= max) break;
      if (message.groupId && blockedGroups.has(message.groupId)) continue;
      if (message.visibleAt > now) {
        // A hidden message holds back the rest of its FIFO group, which must be delivered in order.
        if (message.groupId) blockedGroups.add(message.groupId);
        continue;
      }
      if (maxReceiveCount !== undefined && message.receiveCount >= maxReceiveCount && redrive(message)) {
        this.messages = this.messages.filter((kept) => kept !== message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      message.receiptToken = newId();
      taken.push({ message, receiptHandle: encodeReceiptHandle(this.arn, message.messageId, message.receiptToken) });
    }
    return taken;
  }

  private messageFor(receiptHandle: string): StoredMessage | undefined {
    const decoded = decodeReceiptHandle(receiptHandle);
    if (!decoded || decoded[0] !== this.arn) throw receiptHandleIsInvalid(receiptHandle);
    const [, messageId, token] = decoded;
    return this.messages.find((message) => message.messageId === messageId && message.receiptToken === token);
  }

  /** Deleting with a handle whose message is already gone succeeds, as in SQS. */
  delete(receiptHandle: string): void {
    const message = this.messageFor(receiptHandle);
    if (message) this.messages = this.messages.filter((kept) => kept !== message);
  }

  changeVisibility(receiptHandle: string, timeoutSeconds: number, now: number): void {
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > 43_200) {
      throw invalidParameterValue(
        `Value ${timeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`,
      );
    }
    const message = this.messageFor(receiptHandle);
    if (!message) throw new SqsError("ReceiptHandleIsInvalid", "The receipt handle has expired.", "ReceiptHandleIsInvalid", 404);
    if (message.visibleAt <= now) {
      throw new SqsError("MessageNotInflight", "The message referred to isn't in flight.", "AWS.SimpleQueueService.MessageNotInflight");
    }
    message.visibleAt = now + timeoutSeconds * 1000;
  }

  purge(): void {
    this.messages = [];
  }

  dropExpired(now: number): void {
    const retentionMs = this.settings.messageRetentionPeriod * 1000;
    this.messages = this.messages.filter((message) => message.sentTimestamp + retentionMs > now);
    for (const [key, entry] of this.deduplication) if (entry.expiresAt <= now) this.deduplication.delete(key);
  }

  counts(now: number): { visible: number; inFlight: number; delayed: number } {
    this.dropExpired(now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.messages) {
      if (message.visibleAt <= now) visible++;
      else if (message.receiptToken) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  /** When the next hidden message becomes visible, so a long poll knows when to look again. */
  nextVisibleAt(now: number): number | undefined {
    const upcoming = this.messages.filter((message) => message.visibleAt > now).map((message) => message.visibleAt);
    return upcoming.length > 0 ? Math.min(...upcoming) : undefined;
  }
}
