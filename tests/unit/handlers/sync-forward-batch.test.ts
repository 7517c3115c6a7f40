import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { DynamoDBRecord } from "aws-lambda";
import { okAsync } from "neverthrow";
import type { FifoMessage } from "../../../src/adapters/sqs-fifo-sender";
import { type DependencyError, DependencyUnavailable } from "../../../src/domain/shared/errors";
import { forwardStreamBatch } from "../../../src/handlers/sync-forward-batch";

const record = (sequence: number, eventName = "INSERT"): DynamoDBRecord => ({
  eventID: `event-${sequence}`,
  eventName: eventName as DynamoDBRecord["eventName"],
  dynamodb: {
    Keys: { pk: { S: `item-${sequence % 2}` } },
    NewImage: { pk: { S: `item-${sequence % 2}` }, n: { N: String(sequence) } },
    SequenceNumber: String(sequence),
    ApproximateCreationDateTime: 1_700_000_000,
  },
});

/** An in-memory FIFO queue that refuses the messages whose event ids it is told to. */
const queue = (refuse: ReadonlySet<string> = new Set()) => {
  const sent: FifoMessage[] = [];
  return {
    sent,
    send: async (messages: readonly FifoMessage[]): Promise<(DependencyError | undefined)[]> =>
      messages.map((message) => {
        if (refuse.has(message.deduplicationId)) return new DependencyUnavailable("queue", "throttled");
        sent.push(message);
        return undefined;
      }),
  };
};

const run = (records: DynamoDBRecord[], fifo: ReturnType<typeof queue>, deadLetters: string[] = []) =>
  forwardStreamBatch(records, {
    options: { origin: "us-east-1", twoWay: false, timeToLiveDeletions: "replicate", projection: { include: [], exclude: [] } },
    maxMessageBytes: 262_144,
    queue: fifo,
    deadLetters: {
      send: (_body, reason) => {
        deadLetters.push(reason);
        return okAsync(undefined);
      },
    },
    reporting: { logger: new Logger({ logLevel: "SILENT" }), metrics: new Metrics({ namespace: "test", serviceName: "test" }) },
    now: 1_700_000_005_000,
  });

describe("forwardStreamBatch", () => {
  it("forwards in stream order; an invalid record goes to the DLQ with its reason and the batch moves on", async () => {
    const fifo = queue();
    const deadLetters: string[] = [];
    const response = await run([record(1), record(2, "TRUNCATE"), record(3)], fifo, deadLetters);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fifo.sent.map((message) => message.deduplicationId)).toEqual(["event-1", "event-3"]);
    expect(fifo.sent[0]?.groupId).toBe(fifo.sent[1]?.groupId);
    expect(deadLetters).toEqual(['InvalidEvent: eventName: "TRUNCATE" is not INSERT, MODIFY or REMOVE']);
  });

  it("from a record whose send failed on, the rest of the batch is reported failed (the stream retries in order)", async () => {
    const response = await run([record(1), record(2), record(3), record(4)], queue(new Set(["event-2"])));
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(["2", "3", "4"]);
  });
});
