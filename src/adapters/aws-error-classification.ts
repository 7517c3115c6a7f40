import { DependencyAccessDenied, type DependencyError, DependencyRejected, DependencyUnavailable } from "../domain/shared/errors";

/** Error names that mean "this exact request will never succeed": dead-letter, do not retry. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  "ValidationException",
  "SerializationException",
  "InvalidRequestException",
  "InvalidParameterException",
  "ItemCollectionSizeLimitExceededException",
  // IoT data Publish: the payload is over the 128 KB message size limit.
  "RequestEntityTooLargeException",
]);

/**
 * Error names that mean "our credentials or permissions were refused". Transient: the fault is in a
 * deployment (an IAM policy, a role, an expired session), not in the record, so the record is retried
 * and counted until the fix lands instead of one bad IAM change dead-lettering a whole stream.
 */
const ACCESS_DENIED_ERRORS: ReadonlySet<string> = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnauthorizedException",
  "ForbiddenException",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "ExpiredToken",
  "RequestExpired",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "MissingAuthenticationTokenException",
  "MissingAuthenticationToken",
  "CredentialsProviderError",
]);

/** The name AWS gives a failure (its error code), or UnknownError for anything thrown that is no Error. */
export const awsErrorName = (thrown: unknown): string => (thrown instanceof Error ? thrown.name : "UnknownError");

/**
 * Maps anything an AWS SDK call threw to a tagged domain error, once, here, for every adapter (and for
 * each item of a BatchWriteItem that is split to find the item at fault): permanent refusals become DependencyRejected, refused
 * credentials DependencyAccessDenied, everything else (throttling, 5xx, network, timeouts, a missing
 * table) DependencyUnavailable.
 */
export const classifyAwsError =
  (dependency: string) =>
  (thrown: unknown): DependencyError => {
    const name = awsErrorName(thrown);
    const message = thrown instanceof Error ? `${name}: ${thrown.message}` : String(thrown);
    if (PERMANENT_ERRORS.has(name)) return new DependencyRejected(dependency, message, thrown);
    if (ACCESS_DENIED_ERRORS.has(name)) return new DependencyAccessDenied(dependency, message, thrown);
    return new DependencyUnavailable(dependency, message, thrown);
  };
