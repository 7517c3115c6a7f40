/**
 * The failures the domain knows about, as small tagged classes, shared by every use case (registry
 * capture, backfill, message ingestion, the message API). Each kind is either permanent (retrying the
 * same input cannot help: dead-letter it) or transient (it may pass: retry it); `isRetryable` says
 * which, and `describeError` is the one way a failure is written down as a reason.
 */

/** The input (an event, a message, a listed registry item, a resume token) can never succeed. */
export class InvalidEvent {
  readonly kind = "InvalidEvent";
  constructor(
    readonly reason: string,
    readonly field?: string,
  ) {}
  get message(): string {
    return this.field ? `${this.field}: ${this.reason}` : this.reason;
  }
}

/** A dependency failed in a way that may pass (throttling, 5xx, network, a missing table): retry. */
export class DependencyUnavailable {
  readonly kind = "DependencyUnavailable";
  constructor(
    readonly dependency: string,
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

/**
 * A dependency refused our credentials or permissions (AccessDenied, an expired or unrecognised
 * token, a bad signature). Transient: it is a deployment fault, not a fault of the input, so one bad
 * IAM change must not dead-letter a whole stream; records are retried (and counted and alarmed) until
 * the fix is deployed, then SQS redrives what still fails.
 */
export class DependencyAccessDenied {
  readonly kind = "DependencyAccessDenied";
  constructor(
    readonly dependency: string,
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

/** A dependency refused this request for good (validation, item too large): dead-letter it. */
export class DependencyRejected {
  readonly kind = "DependencyRejected";
  constructor(
    readonly dependency: string,
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

export type DependencyError = DependencyUnavailable | DependencyAccessDenied | DependencyRejected;
export type DomainError = InvalidEvent | DependencyError;

export type TransientError = DependencyUnavailable | DependencyAccessDenied;
export type PermanentError = InvalidEvent | DependencyRejected;

/** Whether retrying the same input could ever help. */
export const isRetryable = (error: DomainError): error is TransientError =>
  error.kind === "DependencyUnavailable" || error.kind === "DependencyAccessDenied";

/** The one format of a failure's reason (a DLQ message's failureReason, a log line, a thrown error). */
export const describeError = (error: DomainError): string => `${error.kind}: ${error.message}`;

/**
 * For a follow-up step that must be retried whatever its failure (dead-lettering a record, notifying
 * after storing one): retrying is safe, so a permanent refusal is kept as a transient failure that
 * names the step, and SQS redrives the record to its DLQ if the step keeps failing.
 */
export const asTransient = (error: DependencyError, step: string): TransientError =>
  isRetryable(error) ? error : new DependencyUnavailable(error.dependency, `${step}: ${describeError(error)}`, error);
