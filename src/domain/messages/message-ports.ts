import type { ResultAsync } from "neverthrow";
import type { DependencyError } from "../shared/errors";
import type { RecordOutcome } from "../shared/record-outcome";
import type { StoredMessage } from "./stored-message";

/**
 * What became of one item of a batch write, after the adapter's own retries: stored, retried (still
 * unprocessed, or failed for a reason that may pass) or dead-lettered (refused for good).
 */
export type PutOutcome = Extract<RecordOutcome, { readonly kind: "stored" | "retried" | "deadLettered" }>;

/** One page of message ids, oldest first, and the cursor that resumes after it (undefined at the end). */
export interface MessagePage {
  readonly messageIds: readonly string[];
  readonly nextCursor: string | undefined;
}

export type Direction = "next" | "prev";

/** The messages table. Implemented by the DynamoDB adapter. */
export interface MessageStore {
  /** Stores every item; the outcomes are in the same order as the items. */
  batchPut(items: readonly StoredMessage[]): ResultAsync<readonly PutOutcome[], never>;
  /** The newest and oldest message id of a uuid, or undefined when it has none. */
  newestAndOldest(uuid: string): ResultAsync<{ readonly newest: string; readonly oldest: string } | undefined, DependencyError>;
  get(uuid: string, messageId: string): ResultAsync<StoredMessage | undefined, DependencyError>;
  /** The id right after (`next`) or before (`prev`) the given one, which need not exist itself. */
  adjacent(uuid: string, messageId: string, direction: Direction): ResultAsync<string | undefined, DependencyError>;
  /** Deleting a message that is not there is not an error (the sample's delete never fails). */
  delete(uuid: string, messageId: string): ResultAsync<void, DependencyError>;
  /** Up to `limit` ids after `cursor` (from the oldest when undefined). */
  listPage(uuid: string, limit: number, cursor: string | undefined): ResultAsync<MessagePage, DependencyError>;
}

/** Publishes API responses and notifications over MQTT (QoS 1). Implemented by the IoT data adapter. */
export interface ResponsePublisher {
  publish(topic: string, payload: Readonly<Record<string, unknown>>): ResultAsync<void, DependencyError>;
}
