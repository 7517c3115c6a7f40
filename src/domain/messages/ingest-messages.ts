import { okAsync, ResultAsync } from "neverthrow";
import { asTransient, DependencyUnavailable } from "../shared/errors";
import { failureOutcome, type RecordOutcome } from "../shared/record-outcome";
import { notificationPayload, notificationTopic } from "./api-responses";
import type { MessageStore, PutOutcome, ResponsePublisher } from "./message-ports";
import { type IngestContext, type QueuedMessage, type StoredMessage, toStoredMessage } from "./stored-message";

export interface IngestPorts {
  readonly store: MessageStore;
  /** Publishes `notification/{uuid}` after a message is stored; absent when notifications are off. */
  readonly notifications?: ResponsePublisher;
}

/** One queued message and what became of it. */
export interface Ingested<M extends QueuedMessage> {
  readonly message: M;
  readonly outcome: RecordOutcome;
}

const NOT_NOTIFIED = "stored, but the notification failed";

/** The store answers every item, in order; a missing answer is its fault, and retrying is safe. */
const UNANSWERED = failureOutcome(new DependencyUnavailable("message store", "reported no outcome for this item"));

/**
 * A stored message is done once its notification is out. If that publish fails the message is
 * retried whatever the reason: storing it again is an idempotent overwrite.
 */
const notify = (stored: StoredMessage, notifications: ResponsePublisher | undefined): ResultAsync<RecordOutcome, never> => {
  const subject = { uuid: stored.uuid, messageId: stored.messageId };
  if (!notifications) return okAsync({ kind: "stored", subject });
  return notifications
    .publish(notificationTopic(stored.uuid), notificationPayload(stored.uuid, stored.messageId))
    .map((): RecordOutcome => ({ kind: "stored", subject }))
    .orElse((error) => okAsync<RecordOutcome, never>({ kind: "retried", error: asTransient(error, NOT_NOTIFIED), subject }));
};

/**
 * Ingests a whole batch at once so that valid messages go to the table in BatchWriteItem requests
 * rather than one PutItem each: invalid messages are set aside to be dead-lettered with their reason,
 * the rest are written together (then notified), and every message gets its own outcome, paired with
 * it, in the order of the input.
 */
export const ingestMessages = <M extends QueuedMessage>(
  messages: readonly M[],
  context: IngestContext,
  ports: IngestPorts,
): Promise<readonly Ingested<M>[]> => {
  const parsed = messages.map((message) => ({ message, stored: toStoredMessage(message, context) }));
  const valid = parsed.flatMap(({ stored }) => (stored.isOk() ? [stored.value] : []));
  const written = valid.length > 0 ? ports.store.batchPut(valid) : okAsync<readonly PutOutcome[], never>([]);
  return written
    .andThen((outcomes) => {
      let next = 0;
      const settle = ({ message, stored }: (typeof parsed)[number]): ResultAsync<Ingested<M>, never> => {
        if (stored.isErr()) return okAsync({ message, outcome: failureOutcome(stored.error) });
        const outcome = outcomes[next++] ?? UNANSWERED;
        const final = outcome.kind === "stored" ? notify(stored.value, ports.notifications) : okAsync<RecordOutcome, never>(outcome);
        return final.map((settled) => ({ message, outcome: settled }));
      };
      return ResultAsync.combine(parsed.map(settle));
    })
    .match(
      (ingested) => ingested,
      (never) => never,
    );
};
