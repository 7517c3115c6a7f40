import { okAsync, type ResultAsync } from "neverthrow";
import type { MessageStore, PutOutcome } from "./message-ports";
import { toStoredMessage, type IngestContext, type QueuedMessage, type StoredMessage } from "./stored-message";

/** What became of one queued message; the handler maps each kind to exactly one action. */
export type IngestOutcome =
  | { readonly kind: "stored"; readonly message: StoredMessage }
  | { readonly kind: "invalid"; readonly reason: string }
  | { readonly kind: "retry"; readonly reason: string }
  | { readonly kind: "rejected"; readonly reason: string };

/**
 * Ingests a whole batch at once so that valid messages go to the table in BatchWriteItem requests
 * rather than one PutItem each: invalid messages are set aside with their reason, the rest are written
 * together, and every message gets its own outcome, in the order of the input.
 */
export const ingestMessages = (messages: readonly QueuedMessage[], context: IngestContext, store: MessageStore): ResultAsync<readonly IngestOutcome[], never> => {
  const parsed = messages.map((message) => toStoredMessage(message, context));
  const valid = parsed.flatMap((result) => (result.isOk() ? [result.value] : []));
  const written = valid.length > 0 ? store.batchPut(valid) : okAsync<readonly PutOutcome[], never>([]);
  return written.map((outcomes) => {
    let next = 0;
    return parsed.map((result): IngestOutcome => {
      if (result.isErr()) return { kind: "invalid", reason: `${result.error.kind}: ${result.error.message}` };
      const outcome = outcomes[next++] ?? { kind: "retry", reason: "the store reported no outcome for this item" };
      return outcome.kind === "stored" ? { kind: "stored", message: result.value } : outcome;
    });
  });
};
