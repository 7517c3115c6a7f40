import type { IncomingHttpHeaders } from "node:http";
import { AwsError } from "../endpoint/aws-error";
import type { RegionState } from "./region-state";
import type { RegistryEventPublisher } from "./registry-event-publisher";
import type { LocalCertificateAuthority } from "./x509-certificates";

/** What every IoT operation handler works with: the caller's region state plus injected time and ids. */
export interface IotContext {
  readonly region: string;
  readonly state: RegionState;
  readonly clock: () => number;
  readonly newId: () => string;
  readonly events: RegistryEventPublisher;
  readonly endpointAddress: (region: string) => string;
  /** The CA that issues CreateKeysAndCertificate certificates (one for every region, created on first use). */
  readonly certificateAuthority: () => Promise<LocalCertificateAuthority>;
}

/** One decoded restJson1 request: path labels, query string, headers and the JSON body. */
export interface IotCall {
  readonly ctx: IotContext;
  readonly labels: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Readonly<Record<string, unknown>>;
}

/** An operation answers the JSON object the SDK deserializer expects (empty object for unit outputs). */
export type IotOperation = (call: IotCall) => Promise<Record<string, unknown>> | Record<string, unknown>;

export const invalidRequest = (message: string): AwsError => new AwsError("InvalidRequestException", message, 400);
export const notFound = (message: string): AwsError => new AwsError("ResourceNotFoundException", message, 404);
export const alreadyExists = (message: string): AwsError => new AwsError("ResourceAlreadyExistsException", message, 409);
export const versionConflict = (message: string): AwsError => new AwsError("VersionConflictException", message, 409);
export const deleteConflict = (message: string): AwsError => new AwsError("DeleteConflictException", message, 409);

/** Parses a restJson1 body; an empty body is an empty input, anything but a JSON object is refused. */
export const parseJsonBody = (body: Buffer): Record<string, unknown> => {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new AwsError("SerializationException", "request body is not valid JSON", 400);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AwsError("SerializationException", "request body must be a JSON object", 400);
  }
  return parsed as Record<string, unknown>;
};

/** A path label the route guarantees; reading it through here keeps handlers free of undefined checks. */
export const label = (call: IotCall, name: string): string => {
  const value = call.labels[name];
  if (value === undefined || value === "") throw invalidRequest(`${name} is required`);
  return value;
};

export const optionalString = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidRequest(`${field} must be a string`);
  return value;
};

export const requiredString = (value: unknown, field: string): string => {
  const text = optionalString(value, field);
  if (text === undefined || text === "") throw invalidRequest(`${field} is required`);
  return text;
};

export const optionalNumber = (value: unknown, field: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalidRequest(`${field} must be a number`);
  return value;
};

export const optionalBoolean = (value: unknown, field: string): boolean | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidRequest(`${field} must be a boolean`);
  return value;
};

/** Reads an integer query parameter such as `expectedVersion` or `maxResults`. */
export const queryInteger = (query: URLSearchParams, name: string): number | undefined => {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw invalidRequest(`${name} must be an integer`);
  return value;
};

/** Reads a boolean query parameter the way the SDK writes it (`true` / `false`). */
export const queryBoolean = (query: URLSearchParams, name: string): boolean | undefined => {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (raw !== "true" && raw !== "false") throw invalidRequest(`${name} must be true or false`);
  return raw === "true";
};

/** Epoch seconds, the timestamp format restJson1 responses carry. */
export const epochSeconds = (millis: number): number => millis / 1000;

/** One operation as the SDK serializer addresses it: HTTP method plus a path template with `{labels}`. */
export interface IotRoute {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  readonly operation: string;
  readonly handler: IotOperation;
}
