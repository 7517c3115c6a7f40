import { invalidRequest } from "./iot-call";

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken: string | undefined;
}

const encodeToken = (lastKey: string): string => Buffer.from(JSON.stringify({ after: lastKey }), "utf8").toString("base64url");

const decodeToken = (token: string): string => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as { after?: unknown }).after === "string") {
      return (parsed as { after: string }).after;
    }
  } catch {
    // fall through to the error below: a token we did not issue
  }
  throw invalidRequest("the pagination token is invalid");
};

/**
 * Pages a list by a sort key, with a token that names the last key returned (not an offset), so a
 * page boundary stays correct while other callers create or delete entries between pages.
 */
export const pageByKey = <T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  options: {
    readonly maxResults: number | undefined;
    readonly nextToken: string | null | undefined;
    readonly defaultSize: number;
    readonly maxSize: number;
  },
): Page<T> => {
  const size = options.maxResults ?? options.defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > options.maxSize) {
    throw invalidRequest(`page size must be between 1 and ${options.maxSize}`);
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const after = options.nextToken ? decodeToken(options.nextToken) : undefined;
  const remaining = after === undefined ? sorted : sorted.filter((item) => keyOf(item) > after);
  const pageItems = remaining.slice(0, size);
  const last = pageItems[pageItems.length - 1];
  return { items: pageItems, nextToken: remaining.length > size && last !== undefined ? encodeToken(keyOf(last)) : undefined };
};

/** The registry APIs (things, groups, principals) accept 1..250 results per page. */
export const REGISTRY_PAGE = { defaultSize: 50, maxSize: 250 } as const;
/** The policy and certificate APIs take `pageSize` up to 250 and default to 25 (marker paging). */
export const MARKER_PAGE = { defaultSize: 25, maxSize: 250 } as const;
