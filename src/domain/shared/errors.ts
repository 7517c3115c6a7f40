/**
 * The failures the domain knows about, as small tagged classes so that a handler can map each kind to
 * exactly one outcome (dead-letter it, retry it, or count it as a no-op) in one place.
 */

/** The input can never succeed, however often it is retried: send it to the DLQ with this reason. */
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

/** A dependency failed in a way that may pass (throttling, network, 5xx): retry the record. */
export class DependencyUnavailable {
  readonly kind = "DependencyUnavailable";
  constructor(
    readonly dependency: string,
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

/** A dependency refused the request for good (validation, item too large): dead-letter it. */
export class DependencyRejected {
  readonly kind = "DependencyRejected";
  constructor(
    readonly dependency: string,
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

export type CaptureError = InvalidEvent | DependencyUnavailable | DependencyRejected;

/** Whether retrying the same input could ever help. */
export const isRetryable = (error: CaptureError): boolean => error.kind === "DependencyUnavailable";
