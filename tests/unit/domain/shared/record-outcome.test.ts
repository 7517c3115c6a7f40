import {
  asTransient,
  DependencyAccessDenied,
  DependencyRejected,
  DependencyUnavailable,
  describeError,
  InvalidEvent,
  isRetryable,
} from "../../../../src/domain/shared/errors";
import { failureOutcome } from "../../../../src/domain/shared/record-outcome";

describe("the error and outcome vocabulary", () => {
  it("dead-letters what can never succeed and retries what may pass", () => {
    expect(failureOutcome(new InvalidEvent("is missing", "thingId")).kind).toBe("deadLettered");
    expect(failureOutcome(new DependencyRejected("table", "ValidationException: too large")).kind).toBe("deadLettered");
    expect(failureOutcome(new DependencyUnavailable("table", "ThrottlingException: slow down")).kind).toBe("retried");
    expect(failureOutcome(new DependencyAccessDenied("table", "AccessDeniedException: no")).kind).toBe("retried");
  });

  it("writes every reason one way: kind, then message (the field first for invalid input)", () => {
    expect(describeError(new InvalidEvent("is missing", "thingId"))).toBe("InvalidEvent: thingId: is missing");
    expect(describeError(new InvalidEvent("body is not JSON"))).toBe("InvalidEvent: body is not JSON");
    const throttled = new DependencyUnavailable("table", "ThrottlingException: slow down");
    expect(describeError(throttled)).toBe("DependencyUnavailable: ThrottlingException: slow down");
  });

  it("keeps a follow-up step's transient failure as it is and turns a permanent one transient, naming the step", () => {
    const denied = new DependencyAccessDenied("queue", "AccessDeniedException: no");
    expect(asTransient(denied, "could not dead-letter")).toBe(denied);
    const refused = asTransient(new DependencyRejected("queue", "InvalidParameterValue: bad"), "could not dead-letter");
    expect(isRetryable(refused)).toBe(true);
    expect(describeError(refused)).toBe("DependencyUnavailable: could not dead-letter: DependencyRejected: InvalidParameterValue: bad");
  });
});
