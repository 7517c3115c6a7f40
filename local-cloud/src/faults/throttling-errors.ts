import { AwsError } from "../endpoint/aws-error";
import { SqsError } from "../sqs/sqs-errors";
import type { ThrottledService } from "./fault-rules";

/**
 * Each service's own throttling error, as its API models declare it, so that real clients classify it
 * as throttling and retry with backoff (the SDK's throttling codes include every name below):
 * IoT `ThrottlingException` 400, IoT data `ThrottlingException` 429, DynamoDB
 * `ProvisionedThroughputExceededException` 400, SQS `RequestThrottled` 403 (query code
 * `RequestThrottled`), SSM `ThrottlingException` 400, Lambda `TooManyRequestsException` 429.
 */
export const throttlingError = (service: ThrottledService): AwsError => {
  switch (service) {
    case "iot":
      return new AwsError("ThrottlingException", "Rate exceeded", 400);
    case "iotdata":
      return new AwsError("ThrottlingException", "Rate exceeded", 429);
    case "dynamodb":
      return new AwsError(
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
        400,
      );
    case "sqs":
      return new SqsError("RequestThrottled", "The request was denied due to request throttling.", "RequestThrottled", 403);
    case "ssm":
      return new AwsError("ThrottlingException", "Rate exceeded", 400);
    case "lambda":
      return new AwsError("TooManyRequestsException", "Rate Exceeded.", 429);
  }
};
