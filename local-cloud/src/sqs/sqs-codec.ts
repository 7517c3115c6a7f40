import type { AwsError } from "../endpoint/aws-error";
import type { LocalRequest, LocalResponse } from "../endpoint/service";
import type { Json } from "./sqs-operations";

/** One SQS request, decoded from whichever protocol it came in. */
export interface SqsCall {
  readonly action: string;
  readonly input: Json;
}

/**
 * One of the two wire protocols of SQS, in front of the one set of operations. The request chooses:
 * real SQS answers each request in the protocol it was sent in.
 */
export interface SqsCodec {
  /** Whether the request speaks this protocol (it is then decoded, and answered, by this codec). */
  accepts(request: LocalRequest): boolean;
  decode(request: LocalRequest): SqsCall;
  encode(call: SqsCall, output: Json, requestId: string): LocalResponse;
  encodeError(error: AwsError, requestId: string): LocalResponse;
}
