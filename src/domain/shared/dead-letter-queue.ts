import type { ResultAsync } from "neverthrow";
import type { DependencyError } from "./errors";

/** Where input that can never succeed goes, with the reason, instead of being retried forever. */
export interface DeadLetterQueue {
  /** `delaySeconds` (0-900) keeps the message invisible that long, for a retry that must wait. */
  send(body: string, reason: string, delaySeconds?: number): ResultAsync<void, DependencyError>;
}
