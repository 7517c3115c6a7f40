import { failureOutcome, type RecordOutcome } from "../shared/record-outcome";
import { parseRegistryEventJson } from "./parse-registry-event";
import type { ReplicaStore } from "./registry-ports";
import { type CaptureContext, toReplicaRecord } from "./replica-record";

/**
 * Captures one registry event (as delivered in an SQS message body) into the replica: validate, map
 * to its record, and write it only if newer. A stale or duplicate event is a `stale` no-op; an invalid
 * event or a permanent refusal is dead-lettered; a transient failure is retried.
 */
export const captureRegistryEvent = (body: string, context: CaptureContext, store: ReplicaStore): Promise<RecordOutcome> => {
  const record = parseRegistryEventJson(body).andThen((event) => toReplicaRecord(event, context));
  if (record.isErr()) return Promise.resolve(failureOutcome(record.error));
  const subject = { entityType: record.value.entityType, entityName: record.value.entityName };
  return store.putIfNewer(record.value).match((written): RecordOutcome => ({ kind: written, subject }), failureOutcome);
};
