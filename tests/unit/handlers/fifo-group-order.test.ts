import type { SQSRecord } from "aws-lambda";
import { DependencyUnavailable, InvalidEvent } from "../../../src/domain/shared/errors";
import type { RecordOutcome } from "../../../src/domain/shared/record-outcome";
import { settleInGroupOrder } from "../../../src/handlers/fifo-group-order";

const record = (messageId: string, group: string): SQSRecord =>
  ({ messageId, body: messageId, attributes: { MessageGroupId: group } }) as unknown as SQSRecord;

describe("settleInGroupOrder", () => {
  it("keeps each group's order, and retries the rest of a group behind a failure without processing it", async () => {
    const processed: string[] = [];
    const outcomes: Record<string, RecordOutcome> = {
      a2: { kind: "retried", error: new DependencyUnavailable("target", "throttled") },
      b1: { kind: "deadLettered", error: new InvalidEvent("is missing", "key") },
    };
    const settled = await settleInGroupOrder(
      [record("a1", "A"), record("b1", "B"), record("a2", "A"), record("b2", "B"), record("a3", "A")],
      2,
      async (r) => {
        processed.push(r.messageId);
        return outcomes[r.messageId] ?? { kind: "stored" };
      },
    );
    expect(processed.filter((id) => id.startsWith("a"))).toEqual(["a1", "a2"]);
    expect(processed.filter((id) => id.startsWith("b"))).toEqual(["b1", "b2"]);
    expect(Object.fromEntries(settled.map(({ record: r, outcome }) => [r.messageId, outcome.kind]))).toEqual({
      a1: "stored",
      a2: "retried",
      a3: "retried",
      b1: "deadLettered",
      b2: "stored",
    });
  });
});
