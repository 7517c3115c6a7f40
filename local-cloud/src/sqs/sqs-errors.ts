import { AwsError, errorResponse } from "../endpoint/aws-error";
import type { LocalResponse } from "../endpoint/service";

/**
 * An SQS error. SQS speaks awsJson1_0 in "query compatible" mode: besides `__type` (the error shape
 * name the SDK maps to an exception class) it sends the old query-protocol code in the
 * `x-amzn-query-error` header, which the SDK copies to `error.Code`.
 */
export class SqsError extends AwsError {
  constructor(
    code: string,
    message: string,
    readonly queryCode = code,
    status = 400,
  ) {
    super(code, message, status);
  }
}

/** Renders an SqsError with the query-compatibility header, so `error.Code` matches real SQS too. */
export const sqsErrorResponse = (error: AwsError): LocalResponse => {
  const rendered = errorResponse(error);
  const queryCode = error instanceof SqsError ? error.queryCode : error.code;
  const fault = error.status >= 500 ? "Receiver" : "Sender";
  return { ...rendered, headers: { ...rendered.headers, "x-amzn-query-error": `${queryCode};${fault}` } };
};

export const queueDoesNotExist = (): SqsError =>
  new SqsError("QueueDoesNotExist", "The specified queue does not exist.", "AWS.SimpleQueueService.NonExistentQueue");

export const invalidParameterValue = (message: string): SqsError => new SqsError("InvalidParameterValue", message);

export const missingParameter = (name: string): SqsError =>
  new SqsError("MissingParameter", `The request must contain the parameter ${name}.`);

export const receiptHandleIsInvalid = (handle: string): SqsError =>
  new SqsError(
    "ReceiptHandleIsInvalid",
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
    "ReceiptHandleIsInvalid",
    404,
  );

/**
 * An action SQS does not have (a typo, another service's action): `InvalidAction` in the query
 * protocol, `UnknownOperationException` in JSON, both 400. An SQS action the local cloud does not
 * emulate is NotImplementedException instead (`notImplemented`).
 */
export const invalidAction = (action: string): SqsError =>
  new SqsError("UnknownOperationException", `The action ${action} is not valid for this endpoint.`, "InvalidAction");

export const missingAction = (): SqsError => new SqsError("MissingAction", "The request must contain the parameter Action.");
