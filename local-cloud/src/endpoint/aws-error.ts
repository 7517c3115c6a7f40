import type { LocalResponse } from "./service";

/**
 * An error that a local service answers with, carrying the code AWS uses for the same case so that
 * SDK clients raise the same exception class (`ResourceNotFoundException`, ...).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const notImplemented = (service: string, operation: string): AwsError =>
  new AwsError("NotImplementedException", `${service} operation ${operation} is not supported by the local cloud`, 501);

/**
 * Renders an error the way AWS JSON protocols do. Both places a client may look carry the code: the
 * `x-amzn-ErrorType` header (restJson1: IoT, IoT data) and `__type` in the body (awsJson: DynamoDB,
 * SQS, SSM), so one renderer serves every service.
 */
export const errorResponse = (error: AwsError): LocalResponse => ({
  status: error.status,
  headers: { "content-type": "application/json", "x-amzn-errortype": error.code },
  body: JSON.stringify({ __type: error.code, message: error.message }),
});

/** Turns anything a service threw into an AWS error; unknown failures become InternalFailure (500). */
export const toAwsError = (thrown: unknown): AwsError =>
  thrown instanceof AwsError ? thrown : new AwsError("InternalFailure", thrown instanceof Error ? thrown.message : String(thrown), 500);
