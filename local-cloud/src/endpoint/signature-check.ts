import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** What a request carries that its SigV4 signature covers. */
export interface SignedRequest {
  readonly method: string;
  /** The request target as the client sent it (`/path?query`), still URL-encoded. */
  readonly rawUrl: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` as %XX (upper case). */
const uriEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, "%20"));
  } catch {
    return text;
  }
};

/** The path as every service but S3 signs it: each segment of the (already encoded) path encoded once more. */
const canonicalPath = (path: string): string => (path === "" ? "/" : path.split("/").map(uriEncode).join("/"));

const canonicalQuery = (query: string): string =>
  query
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const [name, value] = equals === -1 ? [pair, ""] : [pair.slice(0, equals), pair.slice(equals + 1)];
      return [uriEncode(decode(name)), uriEncode(decode(value))] as const;
    })
    .sort(([nameA, valueA], [nameB, valueB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");

const headerValue = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? value.join(",") : (value ?? "")).trim().replace(/\s+/g, " ");

/**
 * Whether a request's `Authorization: AWS4-HMAC-SHA256 ...` signature is the one `secretAccessKey`
 * gives (Signature Version 4: canonical request, string to sign, derived key). False when the header
 * is missing or malformed, or when the signature differs (a wrong secret, or a request changed after
 * signing).
 */
export const hasValidSignature = (request: SignedRequest, secretAccessKey: string): boolean => {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ""));
  if (!match) return false;
  const [, credential, signedHeaderList, signature] = match as unknown as [string, string, string, string];
  const [, date, region, service, terminator] = credential.split("/");
  const amzDate = headerValue(request.headers["x-amz-date"]);
  if (!date || !region || !service || terminator !== "aws4_request" || !amzDate.startsWith(date)) return false;
  const queryStart = request.rawUrl.indexOf("?");
  const path = queryStart === -1 ? request.rawUrl : request.rawUrl.slice(0, queryStart);
  const query = queryStart === -1 ? "" : request.rawUrl.slice(queryStart + 1);
  const signedHeaders = signedHeaderList.split(";");
  const payloadHash = headerValue(request.headers["x-amz-content-sha256"]) || sha256Hex(request.body);
  const canonicalRequest = [
    request.method,
    canonicalPath(path),
    canonicalQuery(query),
    ...signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])}`),
    "",
    signedHeaderList,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), "aws4_request");
  const expected = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest();
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
};
