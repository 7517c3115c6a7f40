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

/**
 * On a FIFO queue a message group stops at its first failed message: the group's later messages in
 * the batch are kept too (not deleted), so they come back after it, in order. This is what Lambda
 * requires a function to report ("stop processing after the first failure and return all failed and
 * unprocessed messages"); the local cloud holds the group back even when a function reports less, so
 * a later change never overtakes an earlier one that failed.
 */
export const failedUpToGroupEnd = (
  records: readonly { readonly messageId: string; readonly groupId: string | undefined }[],
  failed: ReadonlySet<string>,
): Set<string> => {
  const stoppedGroups = new Set<string>();
  const kept = new Set(failed);
  for (const { messageId, groupId } of records) {
    if (groupId === undefined) continue;
    if (stoppedGroups.has(groupId)) kept.add(messageId);
    else if (failed.has(messageId)) stoppedGroups.add(groupId);
  }
  return kept;
};
