import type { ResultAsync } from "neverthrow";
import type { DependencyError } from "./errors";

/** Where input that can never succeed goes, with the reason, instead of being retried forever. */
export interface DeadLetterQueue {
  send(body: string, reason: string): ResultAsync<void, DependencyError>;
}
