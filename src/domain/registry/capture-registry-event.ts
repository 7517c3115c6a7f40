import type { ResultAsync } from "neverthrow";
import { errAsync } from "neverthrow";
import type { CaptureError } from "../shared/errors";
import { toReplicaRecord, type CaptureContext, type ReplicaRecord } from "./replica-record";
import { parseRegistryEventJson } from "./parse-registry-event";
import type { ReplicaStore, WriteOutcome } from "./registry-ports";

export interface CaptureResult {
  readonly outcome: WriteOutcome;
  readonly record: ReplicaRecord;
}

/**
 * Captures one registry event (as delivered in an SQS message body) into the replica: validate, map
 * to its record, and write it only if newer. A stale or duplicate event is an `ok` with outcome
 * `stale`; every failure says whether it can be retried (see `isRetryable`).
 */
export const captureRegistryEvent = (body: string, context: CaptureContext, store: ReplicaStore): ResultAsync<CaptureResult, CaptureError> => {
  const record = parseRegistryEventJson(body).andThen((event) => toReplicaRecord(event, context));
  if (record.isErr()) return errAsync(record.error);
  return store.putIfNewer(record.value).map((outcome) => ({ outcome, record: record.value }));
};
