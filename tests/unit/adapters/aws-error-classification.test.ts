import { awsErrorName, classifyAwsError } from "../../../src/adapters/aws-error-classification";
import { isRetryable } from "../../../src/domain/shared/errors";

/** An error as the AWS SDK v3 throws it: the error code is the name. */
const awsError = (name: string, message = "refused") => Object.assign(new Error(message), { name });
const classify = classifyAwsError("DynamoDB table T");

describe("classifyAwsError: one mapping from AWS errors to domain errors, for every adapter", () => {
  it.each([
    "ValidationException",
    "SerializationException",
    "InvalidRequestException",
    "InvalidParameterException",
    "ItemCollectionSizeLimitExceededException",
    "RequestEntityTooLargeException",
  ])("%s is permanent: DependencyRejected, dead-lettered", (name) => {
    const error = classify(awsError(name));
    expect(error.kind).toBe("DependencyRejected");
    expect(isRetryable(error)).toBe(false);
  });

  it.each([
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
  ])("%s is an access failure: DependencyAccessDenied, transient, so one bad IAM deploy dead-letters nothing", (name) => {
    const error = classify(awsError(name));
    expect(error.kind).toBe("DependencyAccessDenied");
    expect(isRetryable(error)).toBe(true);
  });

  it.each([
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "ResourceNotFoundException",
    "TimeoutError",
    "ECONNREFUSED",
  ])("%s is transient: DependencyUnavailable, retried", (name) => {
    const error = classify(awsError(name));
    expect(error.kind).toBe("DependencyUnavailable");
    expect(isRetryable(error)).toBe(true);
  });

  it("names the dependency and keeps the AWS error name, message and cause", () => {
    const thrown = awsError("AccessDeniedException", "User is not authorized to perform: dynamodb:PutItem");
    const error = classify(thrown);
    expect(error).toMatchObject({ dependency: "DynamoDB table T", message: `AccessDeniedException: ${thrown.message}` });
    expect(error.cause).toBe(thrown);
  });

  it("treats anything thrown that is not an Error as transient, with its text", () => {
    expect(awsErrorName("boom")).toBe("UnknownError");
    expect(classify("boom")).toMatchObject({ kind: "DependencyUnavailable", message: "boom" });
  });
});
