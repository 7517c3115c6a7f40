import { randomUUID } from "node:crypto";
import { regionalArn } from "../endpoint/partitions";
import { DEFAULT_ATTRIBUTES, normaliseQueueAttributes } from "./queue-attributes";
import { type AttributeSelection, type ReceivedMessage, toReceivedMessage } from "./received-message";
import { invalidParameterValue, queueDoesNotExist, SqsError } from "./sqs-errors";
import { type SendMessageInput, type SendMessageOutcome, SqsQueue, type StoredMessage } from "./sqs-queue";

export interface ReceiveOptions extends AttributeSelection {
  readonly maxNumberOfMessages?: number;
  readonly visibilityTimeoutSeconds?: number;
  /** Long polling: wait up to this long for a message (defaults to the queue's ReceiveMessageWaitTimeSeconds). */
  readonly waitTimeSeconds?: number;
}

/**
 * All queues of all regions, usable in-process: the HTTP service and the local Lambda event-source
 * poller both go through this, so a poller needs no HTTP and sees exactly what clients see.
 */
export interface SqsStore {
  createQueue(region: string, name: string, attributes?: Record<string, string>, tags?: Record<string, string>): SqsQueue;
  queueByName(region: string, name: string): SqsQueue;
  queueByArn(region: string, arn: string): SqsQueue;
  listQueues(region: string, prefix?: string): SqsQueue[];
  deleteQueue(region: string, name: string): void;
  setQueueAttributes(queue: SqsQueue, attributes: Record<string, string>): void;
  queueAttributes(queue: SqsQueue, names?: readonly string[]): Record<string, string>;
  sendMessage(queue: SqsQueue, input: SendMessageInput): SendMessageOutcome;
  /** Resolves as soon as a message is available, or empty when the wait time is over. */
  receiveMessages(queue: SqsQueue, options: ReceiveOptions): Promise<ReceivedMessage[]>;
  deleteMessage(queue: SqsQueue, receiptHandle: string): void;
  changeMessageVisibility(queue: SqsQueue, receiptHandle: string, timeoutSeconds: number): void;
  purgeQueue(queue: SqsQueue): void;
  queueArn(region: string, name: string): string;
  /** Ends pending long polls (they answer empty) so shutdown leaves no timers behind. */
  close(): void;
}

export interface SqsStoreOptions {
  readonly clock?: () => number;
  readonly newId?: () => string;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

const validateQueueName = (name: string, fifo: boolean): void => {
  const base = fifo ? name.replace(/\.fifo$/, "") : name;
  if (!QUEUE_NAME.test(base) || (fifo && !name.endsWith(".fifo")) || name.length > 80) {
    throw invalidParameterValue(
      fifo && !name.endsWith(".fifo")
        ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
        : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    );
  }
};

export const createSqsStore = (options: SqsStoreOptions = {}): SqsStore => {
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const regions = new Map<string, Map<string, SqsQueue>>();
  const wakeUps = new Map<SqsQueue, Set<() => void>>();
  const pendingPolls = new Set<() => void>();
  let closed = false;

  const queuesOf = (region: string): Map<string, SqsQueue> => {
    let queues = regions.get(region);
    if (!queues) {
      queues = new Map();
      regions.set(region, queues);
    }
    return queues;
  };
  const queueArn = (region: string, name: string): string => regionalArn(region, "sqs", name);
  const findByArn = (region: string, arn: string): SqsQueue | undefined => {
    const name = arn.split(":")[5];
    const queue = name === undefined ? undefined : queuesOf(region).get(name);
    return queue?.arn === arn ? queue : undefined;
  };
  const wake = (queue: SqsQueue): void => {
    for (const wakeUp of wakeUps.get(queue) ?? []) wakeUp();
  };

  /** Moves a message that exceeded maxReceiveCount to the dead-letter queue; false keeps it where it is. */
  const redriveFrom =
    (queue: SqsQueue) =>
    (message: StoredMessage): boolean => {
      const target = queue.settings.redrivePolicy ? findByArn(queue.region, queue.settings.redrivePolicy.deadLetterTargetArn) : undefined;
      if (!target) return false;
      target.enqueue({ ...message, deadLetterQueueSourceArn: queue.arn, visibleAt: clock(), receiptToken: undefined });
      wake(target);
      return true;
    };

  const takeMessages = (queue: SqsQueue, request: ReceiveOptions): ReceivedMessage[] =>
    queue
      .receive(
        clock(),
        request.maxNumberOfMessages ?? 1,
        request.visibilityTimeoutSeconds ?? queue.settings.visibilityTimeout,
        newId,
        redriveFrom(queue),
      )
      .map(({ message, receiptHandle }) => toReceivedMessage(message, receiptHandle, request));

  /** Waits until something may have changed for the queue: a send, a visibility change, a timer, or close. */
  const waitForChange = (queue: SqsQueue, maxWaitMs: number): Promise<void> =>
    new Promise((resolve) => {
      let wakeUpsOfQueue = wakeUps.get(queue);
      if (!wakeUpsOfQueue) {
        wakeUpsOfQueue = new Set();
        wakeUps.set(queue, wakeUpsOfQueue);
      }
      const done = (): void => {
        clearTimeout(timer);
        wakeUpsOfQueue.delete(done);
        pendingPolls.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, maxWaitMs));
      wakeUpsOfQueue.add(done);
      pendingPolls.add(done);
    });

  return {
    queueArn,
    createQueue: (region, name, attributes = {}, tags = {}) => {
      const fifo = attributes.FifoQueue === "true";
      validateQueueName(name, fifo || name.endsWith(".fifo"));
      if (name.endsWith(".fifo") && !fifo)
        throw invalidParameterValue("The queue name ending in .fifo requires the FifoQueue attribute set to true.");
      const normalised = normaliseQueueAttributes(attributes, {
        creating: true,
        fifo,
        queueExists: (arn) => findByArn(region, arn) !== undefined,
      });
      const existing = queuesOf(region).get(name);
      if (existing) {
        const differs = Object.entries(normalised).some(
          ([key, value]) => (existing.attributes[key] ?? DEFAULT_ATTRIBUTES[key] ?? "") !== value,
        );
        if (differs)
          throw new SqsError(
            "QueueNameExists",
            "A queue already exists with the same name and a different value for attribute(s)",
            "QueueAlreadyExists",
          );
        return existing;
      }
      const queue = new SqsQueue(
        name,
        region,
        queueArn(region, name),
        { ...DEFAULT_ATTRIBUTES, ...normalised },
        Math.floor(clock() / 1000),
        { ...tags },
      );
      queuesOf(region).set(name, queue);
      return queue;
    },
    queueByName: (region, name) => {
      const queue = queuesOf(region).get(name);
      if (!queue) throw queueDoesNotExist();
      return queue;
    },
    queueByArn: (region, arn) => {
      const queue = findByArn(region, arn);
      if (!queue) throw queueDoesNotExist();
      return queue;
    },
    listQueues: (region, prefix = "") =>
      [...queuesOf(region).values()].filter((queue) => queue.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name)),
    deleteQueue: (region, name) => {
      const queue = queuesOf(region).get(name);
      if (!queue) throw queueDoesNotExist();
      queuesOf(region).delete(name);
      wake(queue);
    },
    setQueueAttributes: (queue, attributes) => {
      if ("FifoQueue" in attributes) throw new SqsError("InvalidAttributeName", "Unknown Attribute FifoQueue.");
      const normalised = normaliseQueueAttributes(attributes, {
        creating: false,
        fifo: queue.fifo,
        queueExists: (arn) => findByArn(queue.region, arn) !== undefined,
      });
      queue.setAttributes(normalised, Math.floor(clock() / 1000));
      wake(queue);
    },
    queueAttributes: (queue, names = []) => {
      const counts = queue.counts(clock());
      const all: Record<string, string> = {
        QueueArn: queue.arn,
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
        CreatedTimestamp: String(queue.createdSeconds),
        LastModifiedTimestamp: String(queue.lastModifiedSeconds),
        ...queue.attributes,
      };
      for (const name of names) {
        if (
          name !== "All" &&
          !(name in all) &&
          ![
            "RedrivePolicy",
            "Policy",
            "KmsMasterKeyId",
            "RedriveAllowPolicy",
            "ContentBasedDeduplication",
            "FifoQueue",
            "DeduplicationScope",
            "FifoThroughputLimit",
            "KmsDataKeyReusePeriodSeconds",
          ].includes(name)
        ) {
          throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
        }
      }
      return Object.fromEntries(Object.entries(all).filter(([name]) => names.includes("All") || names.includes(name)));
    },
    sendMessage: (queue, input) => {
      const outcome = queue.send(input, clock(), newId);
      wake(queue);
      return outcome;
    },
    receiveMessages: async (queue, request) => {
      const max = request.maxNumberOfMessages ?? 1;
      if (!Number.isInteger(max) || max < 1 || max > 10) {
        throw invalidParameterValue(
          `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
        );
      }
      const waitSeconds = request.waitTimeSeconds ?? queue.settings.receiveMessageWaitTimeSeconds;
      if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 20) {
        throw invalidParameterValue(
          `Value ${waitSeconds} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
        );
      }
      const deadline = Date.now() + waitSeconds * 1000;
      for (;;) {
        const received = takeMessages(queue, request);
        const remainingMs = deadline - Date.now();
        if (received.length > 0 || remainingMs <= 0 || closed || queuesOf(queue.region).get(queue.name) !== queue) return received;
        const now = clock();
        const nextVisibleAt = queue.nextVisibleAt(now);
        await waitForChange(queue, nextVisibleAt === undefined ? remainingMs : Math.min(remainingMs, nextVisibleAt - now));
      }
    },
    deleteMessage: (queue, receiptHandle) => queue.delete(receiptHandle),
    changeMessageVisibility: (queue, receiptHandle, timeoutSeconds) => {
      queue.changeVisibility(receiptHandle, timeoutSeconds, clock());
      wake(queue);
    },
    purgeQueue: (queue) => queue.purge(),
    close: () => {
      closed = true;
      for (const done of [...pendingPolls]) done();
    },
  };
};
