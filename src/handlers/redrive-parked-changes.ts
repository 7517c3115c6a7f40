import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { Context } from "aws-lambda";
import { errAsync, okAsync, type ResultAsync } from "neverthrow";
import { createDynamoDbStreamRangeReader } from "../adapters/dynamodb-stream-range-reader";
import { createSqsParkedMessages, type ParkedSqsMessage } from "../adapters/sqs-parked-messages";
import { LIVE } from "../domain/pacing/pacer";
import type { EntityRef } from "../domain/recovery/entity-ref";
import { parseParkedMessage, refOfKey } from "../domain/recovery/parked-message";
import { type DomainError, describeError } from "../domain/shared/errors";
import { applyDeadLetterQueueUrl, applyPortsFor, primaryRegion, sqs } from "./applier-composition";
import { applyAndReport, budgetOf } from "./apply-entities";
import { instrumented, logger, metrics, traced } from "./observability";

/** Live changes: their IoT calls book at once on the region's shared schedules; a bootstrap yields to them. */
const applyPorts = applyPortsFor(LIVE);
const parked = createSqsParkedMessages(sqs, applyDeadLetterQueueUrl);
const streamRanges = createDynamoDbStreamRangeReader(traced(new DynamoDBStreamsClient({})));

/** Leave this much of the invocation for the last message's deletes and the metrics. */
const STOP_RECEIVING_MS = 15_000;

/** The entities one parked message stands for: the one the applier parked, or every primary record of a discarded stream batch. */
const entitiesOf = (message: ParkedSqsMessage): ResultAsync<EntityRef[], DomainError> => {
  const parsed = parseParkedMessage(message.body);
  if (parsed.isErr()) return errAsync(parsed.error);
  const value = parsed.value;
  if (value.kind === "entity") return okAsync([value.ref]);
  return streamRanges.keysBetween(value.streamArn, value.shardId, value.startSequenceNumber, value.endSequenceNumber).map((keys) => {
    const unique = new Set(keys.filter((key) => key.sourceRegion === primaryRegion).map((key) => key.entityKey));
    return [...unique].flatMap((entityKey) => {
      const ref = refOfKey(entityKey);
      return ref.isOk() ? [ref.value] : [];
    });
  });
};

/**
 * Runs on a schedule: re-applies what waits in the applier's dead-letter queue (entities the applier
 * deferred or could not apply, and stream batches Lambda gave up on), reading each entity's current
 * primary record as the applier does. A message is deleted once all its entities are applied or
 * already match; otherwise it stays, visible again after the queue's visibility timeout, for the next
 * run (and the queue's alarm keeps a person informed).
 */
export const handler = instrumented(
  "redrive-parked-changes",
  async (_event: unknown, context: Context): Promise<{ redriven: number; kept: number }> => {
    let redriven = 0;
    let kept = 0;
    while (context.getRemainingTimeInMillis() > STOP_RECEIVING_MS) {
      const batch = await parked.receive();
      if (batch.isErr()) {
        logger.error("could not read the dead-letter queue", { reason: describeError(batch.error) });
        break;
      }
      if (batch.value.length === 0) break;
      for (const message of batch.value) {
        const entities = await entitiesOf(message);
        if (entities.isErr()) {
          kept += 1;
          logger.warn("parked message kept: its entities cannot be read", {
            reason: describeError(entities.error),
            failureReason: message.failureReason,
          });
          continue;
        }
        const budget = budgetOf(context.getRemainingTimeInMillis() - STOP_RECEIVING_MS / 2);
        let settledAll = true;
        // No parking from the redrive: what still fails stays in its message.
        for (const ref of entities.value)
          settledAll = (await applyAndReport(applyPorts, { logger, metrics }, ref, budget)) !== "retry" && settledAll;
        if (settledAll && (await parked.remove(message.receiptHandle)).isOk()) redriven += 1;
        else kept += 1;
      }
    }
    logger.info("redrive finished", { redriven, kept });
    return { redriven, kept };
  },
);
