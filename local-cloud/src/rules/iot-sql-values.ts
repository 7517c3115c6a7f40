import type { ComparisonOperator } from "./iot-sql-ast";

/**
 * AWS IoT SQL's three-valued logic: `true`, `false`, or `undefined` for AWS's Undefined (a missing
 * field, a comparison of mismatched kinds). A WHERE clause passes only on `true`, so a rule never
 * fires because of data that is not there.
 */
export type Truth = boolean | undefined;

/** Booleans, and the strings "true"/"false" in any case (as AWS's AND/OR/NOT accept); else Undefined. */
export const toTruth = (value: unknown): Truth => {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const lower = value.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  return undefined;
};

/** Kleene AND: false wins over Undefined, so `missing = 1 AND false` is false, not Undefined. */
export const and = (left: Truth, right: Truth): Truth =>
  left === false || right === false ? false : left === undefined || right === undefined ? undefined : true;

/** Kleene OR: true wins over Undefined, so one matching alternative is enough. */
export const or = (left: Truth, right: Truth): Truth =>
  left === true || right === true ? true : left === undefined || right === undefined ? undefined : false;

/** NOT Undefined stays Undefined, so `NOT (missing = 1)` does not match. */
export const not = (operand: Truth): Truth => (operand === undefined ? undefined : !operand);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Structural equality of JSON values of the same kind. */
const jsonEqual = (left: unknown, right: unknown): boolean => {
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => jsonEqual(item, right[index]));
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => key in right && jsonEqual(left[key], right[key]));
  }
  return left === right;
};

const kindOf = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);

/**
 * Compares two values: numbers numerically, strings lexicographically (by UTF-16 code unit), other
 * same-kind values for (in)equality only. Values of different kinds are never equal (`<>` is true)
 * and have no order (Undefined). Any Undefined operand gives Undefined.
 */
export const compare = (operator: ComparisonOperator, left: unknown, right: unknown): Truth => {
  if (left === undefined || right === undefined) return undefined;
  const sameKind = kindOf(left) === kindOf(right);
  if (operator === "=") return sameKind && jsonEqual(left, right);
  if (operator === "<>") return !(sameKind && jsonEqual(left, right));
  const ordered = (typeof left === "number" && typeof right === "number") || (typeof left === "string" && typeof right === "string");
  if (!ordered) return undefined;
  const a = left as number | string;
  const b = right as number | string;
  switch (operator) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
};
