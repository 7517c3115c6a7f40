import type { SQSRecord } from "aws-lambda";
import { DependencyUnavailable } from "../domain/shared/errors";
import type { RecordOutcome } from "../domain/shared/record-outcome";
import { mapConcurrently } from "./map-concurrently";
import type { SettledRecord } from "./record-outcome";

const GROUP_BLOCKED = new DependencyUnavailable("FIFO message group", "an earlier message of its group failed; retried after it, in order");

/**
 * Processes a FIFO batch keeping each message group's order: groups run side by side (at most
 * `groupsInFlight`), a group's messages one after another, and once a message of a group is to be
 * retried the rest of that group is retried too without being processed (SQS redelivers the group
 * from there, in order). Dead-lettered messages do not block their group: they are settled.
 */
export const settleInGroupOrder = async (
  records: readonly SQSRecord[],
  groupsInFlight: number,
  process: (record: SQSRecord) => Promise<RecordOutcome>,
): Promise<SettledRecord[]> => {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    groups.set(group, [...(groups.get(group) ?? []), record]);
  }
  const settled = await mapConcurrently([...groups.values()], groupsInFlight, async (group) => {
    const results: SettledRecord[] = [];
    let blocked = false;
    for (const record of group) {
      const outcome: RecordOutcome = blocked ? { kind: "retried", error: GROUP_BLOCKED } : await process(record);
      if (outcome.kind === "retried") blocked = true;
      results.push({ record, outcome });
    }
    return results;
  });
  return settled.flat();
};
