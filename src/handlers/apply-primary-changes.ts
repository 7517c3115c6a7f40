import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { REPLICA_TABLE, sameEntityState } from "../adapters/dynamodb-replica-items";
import { createSqsDeadLetterQueue } from "../adapters/sqs-dead-letter-queue";
import { LIVE } from "../domain/pacing/pacer";
import { refOfKey } from "../domain/recovery/parked-message";
import { applyDeadLetterQueueUrl, applyPortsFor, primaryRegion, sqs } from "./applier-composition";
import { applyAndReport, budgetOf } from "./apply-entities";
import { mapConcurrently } from "./map-concurrently";
import { instrumented, logger, metrics } from "./observability";

/** Live changes: their IoT calls book at once on the region's shared schedules; a bootstrap yields to them. */
const applyPorts = applyPortsFor(LIVE);
const parking = createSqsDeadLetterQueue(sqs, applyDeadLetterQueueUrl);

/** Entities applied at once: each is a few IoT calls, and IoT's control plane limits are per account and region. */
const ENTITIES_IN_FLIGHT = 4;

/**
 * The primary's records to apply, one per entity, each with the first sequence number it appeared
 * at in the batch: applying is state-based (the current record is read), so an entity changed five
 * times in a batch is applied once. TTL removals (and any other region's records, which the event
 * source's filter already drops) are skipped, and so are records a bootstrap's snapshot wrote: the
 * bootstrap applies those itself, paced behind live changes, instead of queueing them in the shard;
 * and so are rewrites that changed nothing but the stamp (every sweep pass rewrites certificates and
 * attachments): re-applying them would spend the certificate APIs' 10 TPS on reads, every pass.
 */
const imageOf = (image: Record<string, unknown> | undefined) =>
  image === undefined ? undefined : unmarshall(image as Parameters<typeof unmarshall>[0]);

const entitiesOf = (records: readonly DynamoDBRecord[]): Map<string, string> => {
  const first = new Map<string, string>();
  for (const record of records) {
    const keys = record.dynamodb?.Keys;
    const entityKey = keys?.[REPLICA_TABLE.partitionKey]?.S;
    if (record.eventName === "REMOVE" || keys?.[REPLICA_TABLE.sortKey]?.S !== primaryRegion || !entityKey) continue;
    if (record.dynamodb?.NewImage?.[REPLICA_TABLE.bulkLoadAttribute] !== undefined) continue;
    if (record.eventName === "MODIFY" && sameEntityState(imageOf(record.dynamodb?.OldImage), imageOf(record.dynamodb?.NewImage))) continue;
    if (!first.has(entityKey)) first.set(entityKey, record.dynamodb?.SequenceNumber ?? "");
  }
  return first;
};

/**
 * The replica table's stream in a secondary region: makes this region's IoT registry, certificates,
 * policies, attachments and shadows converge to the primary's records. Entities whose transient
 * failure outlasts the time budget are batch item failures (Lambda retries from the first of them,
 * then bisects, then sends the range to the OnFailure queue); deferred and invalid ones are parked
 * in that same queue with their reason, so the shard never stalls on them.
 */
export const handler = instrumented(
  "apply-primary-changes",
  async (event: DynamoDBStreamEvent, context): Promise<DynamoDBBatchResponse> => {
    const budget = budgetOf(context.getRemainingTimeInMillis());
    const entities = [...entitiesOf(event.Records)];
    const settled = await mapConcurrently(entities, ENTITIES_IN_FLIGHT, async ([entityKey, sequenceNumber]) => {
      const ref = refOfKey(entityKey);
      if (ref.isErr()) {
        // Kept for a person with its reason; the redrive leaves it there (it can never be applied).
        const parked = await parking.send(JSON.stringify({ entityKey }), ref.error.message);
        logger.error("stream record of no known entity kind; parked", { entityKey, reason: ref.error.message });
        return { sequenceNumber, outcome: parked.isOk() ? ("done" as const) : ("retry" as const) };
      }
      return { sequenceNumber, outcome: await applyAndReport(applyPorts, { logger, metrics, parking }, ref.value, budget) };
    });
    return {
      batchItemFailures: settled
        .filter(({ outcome }) => outcome === "retry")
        .map(({ sequenceNumber }) => ({ itemIdentifier: sequenceNumber })),
    };
  },
);
