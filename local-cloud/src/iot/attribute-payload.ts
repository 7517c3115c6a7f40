import { invalidRequest } from "./iot-call";
import type { Attributes } from "./iot-records";

/**
 * Applies an `attributePayload` the way AWS does for things and thing groups: with `merge: true` the
 * given attributes are merged in and an empty value removes that attribute; otherwise the given
 * attributes replace all existing ones (and empty values are not stored).
 */
export const applyAttributePayload = (current: Attributes, payload: unknown): Attributes => {
  if (payload === undefined || payload === null) return current;
  if (typeof payload !== "object" || Array.isArray(payload)) throw invalidRequest("attributePayload must be an object");
  const { attributes, merge } = payload as { attributes?: unknown; merge?: unknown };
  const given = readAttributes(attributes);
  const next: Attributes = merge === true ? { ...current } : {};
  for (const [name, value] of Object.entries(given)) {
    if (value === "") delete next[name];
    else next[name] = value;
  }
  return next;
};

/** Validates an attribute map: string names to string values, as the registry stores them. */
export const readAttributes = (attributes: unknown): Attributes => {
  if (attributes === undefined || attributes === null) return {};
  if (typeof attributes !== "object" || Array.isArray(attributes)) throw invalidRequest("attributes must be a map of strings");
  const result: Attributes = {};
  for (const [name, value] of Object.entries(attributes as Record<string, unknown>)) {
    if (typeof value !== "string") throw invalidRequest(`attribute ${name} must be a string`);
    result[name] = value;
  }
  return result;
};

/** True when two attribute maps hold the same names and values (CreateThing idempotency). */
export const sameAttributes = (a: Attributes, b: Attributes): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
};
