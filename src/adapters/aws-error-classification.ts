import { DependencyRejected, DependencyUnavailable } from "../domain/shared/errors";

/** Error names that mean "this exact request will never succeed": dead-letter, do not retry. */
const PERMANENT = new Set([
  "ValidationException",
  "SerializationException",
  "InvalidRequestException",
  "InvalidParameterException",
  "ItemCollectionSizeLimitExceededException",
  "UnrecognizedClientException",
  "AccessDeniedException",
]);

/**
 * Maps anything an AWS SDK call threw to a tagged domain error, once, here: permanent refusals become
 * DependencyRejected, everything else (throttling, 5xx, network, timeouts) DependencyUnavailable.
 */
export const classifyAwsError =
  (dependency: string) =>
  (thrown: unknown): DependencyUnavailable | DependencyRejected => {
    const name = thrown instanceof Error ? thrown.name : "UnknownError";
    const message = thrown instanceof Error ? `${name}: ${thrown.message}` : String(thrown);
    return PERMANENT.has(name) ? new DependencyRejected(dependency, message, thrown) : new DependencyUnavailable(dependency, message, thrown);
  };
