import { type DomainError, isRetryable, type PermanentError, type TransientError } from "./errors";

/** What a log line may say about the record (entity type and name, uuid and message id). */
export type RecordSubject = Readonly<Record<string, string>>;

/**
 * What became of one record (an SQS message, soon a stream record), the same four outcomes for every
 * use case: `stored` (applied), `stale` (the target already held it or something newer: a no-op),
 * `deadLettered` (permanent: the input can never succeed, send it to the DLQ with its reason), or
 * `retried` (transient: let the event source deliver it again). The handlers map each outcome to its
 * batch action in one place (`src/handlers/record-outcome.ts`).
 */
export type RecordOutcome =
  | { readonly kind: "stored"; readonly subject?: RecordSubject }
  | { readonly kind: "stale"; readonly subject?: RecordSubject }
  | { readonly kind: "deadLettered"; readonly error: PermanentError }
  | { readonly kind: "retried"; readonly error: TransientError; readonly subject?: RecordSubject };

export type FailedOutcome = Extract<RecordOutcome, { readonly kind: "deadLettered" | "retried" }>;

/** A failed record: retried when retrying could help, dead-lettered when it never can. */
export const failureOutcome = (error: DomainError): FailedOutcome =>
  isRetryable(error) ? { kind: "retried", error } : { kind: "deadLettered", error };
