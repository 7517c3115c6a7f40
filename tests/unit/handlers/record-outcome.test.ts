import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { SQSRecord } from "aws-lambda";
import { errAsync, okAsync } from "neverthrow";
import type { DeadLetterQueue } from "../../../src/domain/shared/dead-letter-queue";
import { DependencyAccessDenied, DependencyRejected, DependencyUnavailable, InvalidEvent } from "../../../src/domain/shared/errors";
import type { RecordOutcome } from "../../../src/domain/shared/record-outcome";
import { settleBatch } from "../../../src/handlers/record-outcome";
import { loadSqsEvent } from "../../support/sample-events";

const template = loadSqsEvent("capture-thing-created.json").Records[0] as SQSRecord;
const record = (id: string): SQSRecord => ({ ...template, messageId: id, body: `body-${id}` });

/** A DLQ that remembers what it was sent, or refuses with the given error. */
const deadLetterQueue = (refuse?: DependencyRejected | DependencyUnavailable) => {
  const sent: { body: string; reason: string }[] = [];
  const queue: DeadLetterQueue = {
    send: (body, reason) => (refuse ? errAsync(refuse) : okAsync(void sent.push({ body, reason }))),
  };
  return { queue, sent };
};

const settle = async (outcomes: Record<string, RecordOutcome>, deadLetters = deadLetterQueue()) => {
  const metrics = new Metrics({ namespace: "Test", serviceName: "registry-capture" });
  const logger = new Logger({ logLevel: "SILENT" });
  const response = await settleBatch(
    { logger, metrics, deadLetters: deadLetters.queue },
    Object.entries(outcomes).map(([id, outcome]) => ({ record: record(id), outcome })),
  );
  const emf = metrics.serializeMetrics() as unknown as Record<string, unknown>;
  const counted = Object.fromEntries(
    ["RecordsStored", "RecordsStale", "RecordsDeadLettered", "RecordsRetried", "DependencyAccessDenied"].map((name) => [name, emf[name]]),
  );
  return { failures: response.batchItemFailures.map((failure) => failure.itemIdentifier), counted, sent: deadLetters.sent };
};

describe("settleBatch: one mapping from outcomes to batch actions, logs and metrics", () => {
  it("succeeds stored and stale records, dead-letters permanent failures with their reason, fails retried ones", async () => {
    const { failures, counted, sent } = await settle({
      a: { kind: "stored", subject: { entityType: "thing", entityName: "a" } },
      b: { kind: "stale" },
      c: { kind: "deadLettered", error: new InvalidEvent("is missing", "thingId") },
      d: { kind: "retried", error: new DependencyUnavailable("table", "ThrottlingException: slow down") },
    });
    expect(failures).toEqual(["d"]);
    expect(sent).toEqual([{ body: "body-c", reason: "InvalidEvent: thingId: is missing" }]);
    expect(counted).toMatchObject({ RecordsStored: 1, RecordsStale: 1, RecordsDeadLettered: 1, RecordsRetried: 1 });
    expect(counted["DependencyAccessDenied"]).toBeUndefined();
  });

  it("retries a record whose dead-lettering fails instead of dropping it", async () => {
    const { failures, counted } = await settle(
      { c: { kind: "deadLettered", error: new DependencyRejected("table", "ValidationException: too large") } },
      deadLetterQueue(new DependencyUnavailable("queue", "ServiceUnavailable: down")),
    );
    expect(failures).toEqual(["c"]);
    expect(counted).toMatchObject({ RecordsDeadLettered: 0, RecordsRetried: 1 });
  });

  it("counts access failures on their own, as retried records, so a bad IAM deploy alarms and dead-letters nothing", async () => {
    const denied = new DependencyAccessDenied("table", "AccessDeniedException: not authorized");
    const { failures, counted, sent } = await settle({ a: { kind: "retried", error: denied }, b: { kind: "retried", error: denied } });
    expect(failures).toEqual(["a", "b"]);
    expect(sent).toEqual([]);
    expect(counted).toEqual({ RecordsStored: 0, RecordsStale: 0, RecordsDeadLettered: 0, RecordsRetried: 2, DependencyAccessDenied: 2 });
  });

  it("counts zeros for an empty batch, so the metrics always have data", async () => {
    const { failures, counted } = await settle({});
    expect(failures).toEqual([]);
    expect(counted).toMatchObject({ RecordsStored: 0, RecordsRetried: 0 });
  });
});
