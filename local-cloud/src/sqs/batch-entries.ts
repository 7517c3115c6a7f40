import { AwsError } from "../endpoint/aws-error";
import { SqsError } from "./sqs-errors";

export interface BatchResult<T> {
  readonly Successful: (T & { Id: string })[];
  readonly Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[];
}

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_ENTRIES = 10;

/**
 * Runs a batch the SQS way: the request as a whole fails only for a malformed batch (empty, more
 * than ten entries, repeated or invalid ids); otherwise each entry succeeds or fails on its own and
 * is reported under Successful or Failed with its error code.
 */
export const runBatch = <E extends { Id?: string }, T extends object>(
  entries: readonly E[] | undefined,
  run: (entry: E) => T,
): BatchResult<T> => {
  const list = entries ?? [];
  if (list.length === 0)
    throw new SqsError(
      "EmptyBatchRequest",
      "There should be at least one entry in the request.",
      "AWS.SimpleQueueService.EmptyBatchRequest",
    );
  if (list.length > MAX_ENTRIES) {
    throw new SqsError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are ${MAX_ENTRIES}. You have sent ${list.length}.`,
      "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    );
  }
  const ids = new Set<string>();
  for (const entry of list) {
    const id = entry.Id ?? "";
    if (!ENTRY_ID.test(id))
      throw new SqsError(
        "InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
        "AWS.SimpleQueueService.InvalidBatchEntryId",
      );
    if (ids.has(id))
      throw new SqsError("BatchEntryIdsNotDistinct", `Id ${id} repeated.`, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
    ids.add(id);
  }
  const result: BatchResult<T> = { Successful: [], Failed: [] };
  for (const entry of list) {
    const Id = entry.Id as string;
    try {
      result.Successful.push({ ...run(entry), Id });
    } catch (thrown) {
      if (!(thrown instanceof AwsError)) throw thrown;
      result.Failed.push({ Id, SenderFault: thrown.status < 500, Code: thrown.code, Message: thrown.message });
    }
  }
  return result;
};
