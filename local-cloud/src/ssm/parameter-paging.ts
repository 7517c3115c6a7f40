import { AwsError } from "../endpoint/aws-error";

/** One page of a listing plus the token that resumes it, the shape every SSM list operation answers. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/**
 * Cuts a stable, already ordered listing into pages. The token is an opaque offset (base64 JSON), so a
 * client can only resume a listing it was given; anything else is `InvalidNextToken`, as AWS answers.
 */
export const pageOf = <T>(all: readonly T[], maxResults: number, token: string | undefined): Page<T> => {
  const start = token === undefined ? 0 : decodeOffset(token);
  const items = all.slice(start, start + maxResults);
  const end = start + items.length;
  return end < all.length ? { items, nextToken: encodeOffset(end) } : { items };
};

/** Validates MaxResults against the operation's bounds (GetParametersByPath: 10, the others: 50). */
export const maxResultsWithin = (requested: unknown, limit: number): number => {
  if (requested === undefined || requested === null) return limit;
  if (typeof requested !== "number" || !Number.isInteger(requested) || requested < 1 || requested > limit) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value '${String(requested)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${limit}`,
    );
  }
  return requested;
};

const encodeOffset = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString("base64");

const decodeOffset = (token: string): number => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
    const offset = (parsed as { offset?: unknown }).offset;
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through: any token we did not issue is invalid
  }
  throw new AwsError("InvalidNextToken", "The specified token is not valid.");
};
