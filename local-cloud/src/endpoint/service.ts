import type { IncomingHttpHeaders } from "node:http";

/**
 * The contract between the local AWS endpoint and each emulated service. The endpoint parses the
 * SigV4 credential scope and hands every request to the service its signing name routes to
 * (`service-routing.ts`); a service keeps its state per region (and answers for any region a client names).
 */
export interface LocalRequest {
  readonly method: string;
  /** Path without the query string, still URL-encoded as the client sent it. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Region from the credential scope of the Authorization header. */
  readonly region: string;
  /** Signing name from the credential scope (`iot`, `execute-api`, `iotdata`, `dynamodb`, `sqs`, `ssm`, ...). */
  readonly service: string;
  readonly accessKeyId: string;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
}

export interface LocalService {
  /** The service's name in the endpoint's routing table (`iot`, `iotdata`, `sqs`, ...; see `service-routing.ts`). */
  readonly name: string;
  handle(request: LocalRequest): Promise<LocalResponse>;
  /** The API's name for the operation a request calls, when the endpoint cannot tell it from X-Amz-Target. */
  operationOf?(request: LocalRequest): string | undefined;
  /** Renders an error (an `AwsError`) the endpoint answers for this service, when its protocol is not AWS JSON. */
  errorResponse?(request: LocalRequest, error: Error): LocalResponse;
  close?(): Promise<void>;
}

/** The account id every local region reports; no real account is ever involved. */
export const LOCAL_ACCOUNT_ID = "000000000000";
