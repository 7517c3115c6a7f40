import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "./errors";

/**
 * Readers for fields of untrusted JSON objects. Each returns the typed value or an InvalidEvent that
 * names the field and what was wrong, so a dead-lettered record always says why.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

const describe = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`);

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export const readString = (source: JsonObject, field: string): Result<string, InvalidEvent> => {
  const value = source[field];
  if (typeof value !== "string") {
    return err(new InvalidEvent(value === undefined ? "is missing" : `must be a string, got ${describe(value)}`, field));
  }
  if (value.length === 0) return err(new InvalidEvent("must not be empty", field));
  return ok(value);
};

/** A string that AWS sends as `null` (or leaves out) when there is nothing to say. */
export const readNullableString = (source: JsonObject, field: string): Result<string | null, InvalidEvent> => {
  const value = source[field];
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "string") return err(new InvalidEvent(`must be a string or null, got ${describe(value)}`, field));
  return ok(value);
};

export const readNonNegativeInteger = (source: JsonObject, field: string): Result<number, InvalidEvent> => {
  const value = source[field];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    return err(
      new InvalidEvent(value === undefined ? "is missing" : `must be a non-negative integer, got ${JSON.stringify(value)}`, field),
    );
  }
  return ok(value);
};

export const readNullableNumber = (source: JsonObject, field: string): Result<number | null, InvalidEvent> => {
  const value = source[field];
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "number" || !Number.isFinite(value))
    return err(new InvalidEvent(`must be a number or null, got ${describe(value)}`, field));
  return ok(value);
};

export const readBoolean = (source: JsonObject, field: string, fallback: boolean): Result<boolean, InvalidEvent> => {
  const value = source[field];
  if (value === undefined || value === null) return ok(fallback);
  if (typeof value !== "boolean") return err(new InvalidEvent(`must be a boolean, got ${describe(value)}`, field));
  return ok(value);
};

export const readStringArray = (source: JsonObject, field: string): Result<readonly string[], InvalidEvent> => {
  const value = source[field];
  if (value === undefined || value === null) return ok([]);
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    return err(new InvalidEvent("must be an array of strings", field));
  }
  return ok(value as string[]);
};

/** A map of string attributes; AWS IoT attribute values are always strings. */
export const readStringMap = (source: JsonObject, field: string): Result<Readonly<Record<string, string>>, InvalidEvent> => {
  const value = source[field];
  if (value === undefined || value === null) return ok({});
  if (!isJsonObject(value)) return err(new InvalidEvent(`must be an object, got ${describe(value)}`, field));
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") return err(new InvalidEvent(`must be a string, got ${describe(item)}`, `${field}.${key}`));
  }
  return ok(value as Record<string, string>);
};

export const readObjectArray = (source: JsonObject, field: string): Result<readonly JsonObject[], InvalidEvent> => {
  const value = source[field];
  if (value === undefined || value === null) return ok([]);
  if (!Array.isArray(value) || !value.every(isJsonObject)) return err(new InvalidEvent("must be an array of objects", field));
  return ok(value);
};

export const readEnum = <T extends string>(source: JsonObject, field: string, allowed: readonly T[]): Result<T, InvalidEvent> =>
  readString(source, field).andThen((value) =>
    (allowed as readonly string[]).includes(value)
      ? ok(value as T)
      : err(new InvalidEvent(`must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`, field)),
  );
