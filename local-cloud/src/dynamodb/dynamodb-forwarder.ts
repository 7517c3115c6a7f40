import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { crc32 } from "node:zlib";
import type { LocalRequest, LocalResponse } from "../endpoint/service";
import { toCallerRegion, toLocalRegion } from "./local-region-arns";

/** The access key every forwarded request carries, so all client credentials share one database per region. */
export const SHARED_ACCESS_KEY = "local";

/** A DynamoDB Local answer, body already rewritten for the caller's region (checksum not yet updated). */
export interface ForwardedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface DynamoDbForwarder {
  /** Sends the request as the client made it (body optionally replaced) and returns DynamoDB Local's answer. */
  forward(request: LocalRequest, body?: string): Promise<ForwardedResponse>;
  close(): void;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "proxy-connection", "upgrade"]);

const flattenHeaders = (headers: IncomingHttpHeaders): Record<string, string> => {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
};

/**
 * DynamoDB Local keys databases by access key and region and never checks signatures, so rewriting
 * `Credential=<key>/` is all it takes to let every client credential see the same tables.
 */
const withSharedAccessKey = (authorization: string | undefined): string | undefined =>
  authorization?.replace(/Credential=[^/,\s]+\//, `Credential=${SHARED_ACCESS_KEY}/`);

/**
 * Turns a forwarded answer into what the endpoint sends. Botocore (the AWS CLI) checks DynamoDB's
 * `x-amz-crc32` against the body, and the body may have been rewritten, so it is always recomputed.
 */
export const toLocalResponse = (response: ForwardedResponse, body: string = response.body): LocalResponse => {
  const headers = { ...response.headers };
  if (headers["x-amz-crc32"] !== undefined) headers["x-amz-crc32"] = String(crc32(body));
  return { status: response.status, headers, body };
};

/** Forwards raw DynamoDB and DynamoDB Streams requests to one DynamoDB Local process over keep-alive HTTP. */
export const createDynamoDbForwarder = (dynamoDbLocalEndpoint: string): DynamoDbForwarder => {
  const target = new URL(dynamoDbLocalEndpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return {
    forward: (request, body) =>
      new Promise<ForwardedResponse>((resolve, reject) => {
        const payload = Buffer.from(toLocalRegion(body ?? request.body.toString("utf8"), request.region), "utf8");
        const headers = flattenHeaders(request.headers);
        const authorization = withSharedAccessKey(request.headers.authorization);
        if (authorization !== undefined) headers.authorization = authorization;
        delete headers["accept-encoding"];
        headers["content-length"] = String(payload.length);
        const query = request.query.toString();
        const outgoing = httpRequest(
          {
            agent,
            host: target.hostname,
            port: target.port,
            method: request.method,
            path: `${request.path}${query ? `?${query}` : ""}`,
            headers,
          },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
            incoming.on("error", reject);
            incoming.on("end", () => {
              const raw = Buffer.concat(chunks).toString("utf8");
              resolve({
                status: incoming.statusCode ?? 502,
                headers: flattenHeaders(incoming.headers),
                body: toCallerRegion(raw, request.region),
              });
            });
          },
        );
        outgoing.on("error", reject);
        outgoing.end(payload);
      }),
    close: () => agent.destroy(),
  };
};
