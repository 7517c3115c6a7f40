import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { FunctionUrlConfig } from "../cloudformation/sam-function-url";
import type { LocalResponse } from "../endpoint/service";
import type { InvocationResult } from "./execution-environment";

/** Where function URLs live on the local endpoint: `{endpoint}/_local/lambda-url/{region}/{functionName}/`. */
export const FUNCTION_URL_PREFIX = "/_local/lambda-url/";

export const localFunctionUrl = (endpointUrl: string, region: string, functionName: string): string =>
  `${endpointUrl}${FUNCTION_URL_PREFIX}${region}/${encodeURIComponent(functionName)}/`;

/** An HTTP request to a function URL, as the endpoint received it (path still URL-encoded). */
export interface FunctionUrlRequest {
  readonly method: string;
  readonly path: string;
  readonly rawQueryString: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** The region, function name and the path after the function's URL, or undefined for a path that is no function URL. */
export const parseFunctionUrlPath = (path: string): { region: string; functionName: string; rawPath: string } | undefined => {
  const match = /^\/_local\/lambda-url\/([a-z0-9-]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  return { region: match[1] as string, functionName: decodeURIComponent(match[2] as string), rawPath: match[3] ?? "/" };
};

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|.*\+json|.*\+xml)/i;

/** `12/Mar/2020:19:03:58 +0000`, the payload's `requestContext.time`. */
const clfTime = (date: Date): string => {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
};

/**
 * The event Lambda hands a function behind a URL: API Gateway's payload format version 2.0, with the
 * sentinels function URLs use (`routeKey` `$default`, `stage` `$default`). Headers are lower-cased and
 * repeated ones joined with commas; cookies move to `cookies`; a body that is not text is base64.
 */
export const functionUrlEvent = (request: FunctionUrlRequest, region: string, rawPath: string, urlId: string, now: Date): unknown => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === "cookie") continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const cookieHeader = request.headers.cookie;
  const cookies = cookieHeader ? cookieHeader.split(/;\s*/).filter(Boolean) : undefined;
  const query = new URLSearchParams(request.rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(",");
  const isText = request.body.length === 0 || TEXT_TYPES.test(headers["content-type"] ?? "");
  const domainName = `${urlId}.lambda-url.${region}.on.aws`;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: urlId,
      domainName,
      domainPrefix: urlId,
      http: {
        method: request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length > 0 ? { body: isText ? request.body.toString("utf8") : request.body.toString("base64") } : {}),
    isBase64Encoded: !isText,
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Lambda's answer to the caller, from what the function returned: an object with `statusCode` is the
 * response (headers, body, base64 body, cookies as Set-Cookie); anything else is a 200 with the value as
 * JSON; a function error is a 502, as Lambda answers it.
 */
export const functionUrlResponse = (outcome: InvocationResult): LocalResponse => {
  if (!outcome.ok)
    return { status: 502, headers: { "content-type": "application/json" }, body: JSON.stringify({ Message: "Internal Server Error" }) };
  const result = outcome.result;
  if (!isRecord(result) || result["statusCode"] === undefined) {
    return {
      status: 200,
      headers: { "content-type": "application/json" },
      body: typeof result === "string" ? result : JSON.stringify(result ?? null),
    };
  }
  const headers: Record<string, string> = {};
  if (isRecord(result["headers"]))
    for (const [name, value] of Object.entries(result["headers"])) headers[name.toLowerCase()] = String(value);
  if (Array.isArray(result["cookies"]) && result["cookies"].length > 0) headers["set-cookie"] = result["cookies"].map(String).join(", ");
  const rawBody = result["body"];
  const text = typeof rawBody === "string" ? rawBody : rawBody === undefined ? "" : JSON.stringify(rawBody);
  const body = result["isBase64Encoded"] === true ? Buffer.from(text, "base64") : text;
  return { status: Number(result["statusCode"]), headers: { "content-type": "application/json", ...headers }, body };
};

/** AWS_IAM URLs take only SigV4-signed requests; the local cloud checks that a signature is there, as it does for every API. */
export const refusedByAuthType = (
  config: FunctionUrlConfig,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): LocalResponse | undefined => {
  if (config.authType === "NONE") return undefined;
  const signed = String(headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ") || query.has("X-Amz-Signature");
  return signed
    ? undefined
    : { status: 403, headers: { "content-type": "application/json" }, body: JSON.stringify({ Message: "Forbidden" }) };
};

/** A HEAD request is answered with the status and headers only, as by any HTTP server. */
export const withoutBodyForHead = (method: string, response: LocalResponse): LocalResponse =>
  method === "HEAD" ? { status: response.status, ...(response.headers ? { headers: response.headers } : {}) } : response;
