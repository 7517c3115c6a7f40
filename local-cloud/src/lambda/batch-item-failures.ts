/**
 * The items of a batch that failed, as Lambda decides it after an invocation: all of them after an
 * error, the reported ones with ReportBatchItemFailures (a malformed report fails the whole batch),
 * none otherwise. Items are SQS message ids or stream sequence numbers.
 */
export const failedItemIds = (
  itemIds: readonly string[],
  outcome: { ok: boolean; result?: unknown },
  reportBatchItemFailures: boolean,
): Set<string> => {
  const all = new Set(itemIds);
  if (!outcome.ok) return all;
  if (!reportBatchItemFailures) return new Set();
  const response = outcome.result as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null;
  const failures = response?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = failure?.itemIdentifier;
    if (typeof id !== "string" || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
};
