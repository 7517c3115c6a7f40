import { AwsError } from "../endpoint/aws-error";
import type { SqsCodec } from "./sqs-codec";
import { sqsErrorResponse } from "./sqs-errors";
import type { Json } from "./sqs-operations";

const TARGET_PREFIX = "AmazonSQS.";

/**
 * SQS's awsJson1_0 protocol (SDK v3, AWS CLI v1 since botocore switched): `X-Amz-Target:
 * AmazonSQS.<Action>`, a JSON body in and out, errors with `__type` plus the query-compatible code.
 */
export const sqsJsonCodec: SqsCodec = {
  accepts: (request) => String(request.headers["x-amz-target"] ?? "").startsWith(TARGET_PREFIX),
  decode: (request) => {
    const action = String(request.headers["x-amz-target"]).slice(TARGET_PREFIX.length);
    try {
      return { action, input: request.body.length > 0 ? (JSON.parse(request.body.toString()) as Json) : {} };
    } catch {
      throw new AwsError("SerializationException", `the body of ${action} is not valid JSON`, 400);
    }
  },
  encode: (_call, output, requestId) => ({
    status: 200,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": requestId },
    body: JSON.stringify(output),
  }),
  encodeError: (error, requestId) => {
    const response = sqsErrorResponse(error);
    return { ...response, headers: { ...response.headers, "x-amzn-requestid": requestId } };
  },
};
