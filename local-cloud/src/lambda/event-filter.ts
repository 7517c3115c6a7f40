/**
 * Lambda event filtering (FilterCriteria): a record is delivered when it matches at least one pattern.
 * Patterns nest like the record; a leaf is a list of allowed values or matchers (`prefix`, `suffix`,
 * `exists`, `anything-but`, `numeric`, `equals-ignore-case`). SQS bodies that are JSON are matched as
 * objects under `body`, as Lambda does.
 */
type Matcher = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const compareNumeric = (value: number, conditions: readonly unknown[]): boolean => {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const operator = conditions[i];
    const bound = Number(conditions[i + 1]);
    const holds =
      operator === "="
        ? value === bound
        : operator === ">"
          ? value > bound
          : operator === ">="
            ? value >= bound
            : operator === "<"
              ? value < bound
              : operator === "<="
                ? value <= bound
                : false;
    if (!holds) return false;
  }
  return true;
};

const matchesValue = (allowed: unknown, value: unknown, present: boolean): boolean => {
  if (!isObject(allowed)) return present && (allowed === value || (allowed === null && value === null));
  const matcher = allowed as Matcher;
  if ("exists" in matcher) return matcher["exists"] === present;
  if (!present) return false;
  if ("prefix" in matcher) return typeof value === "string" && value.startsWith(String(matcher["prefix"]));
  if ("suffix" in matcher) return typeof value === "string" && value.endsWith(String(matcher["suffix"]));
  if ("equals-ignore-case" in matcher)
    return typeof value === "string" && value.toLowerCase() === String(matcher["equals-ignore-case"]).toLowerCase();
  if ("anything-but" in matcher) {
    const excluded = matcher["anything-but"];
    return !(Array.isArray(excluded) ? excluded : [excluded]).includes(value);
  }
  if ("numeric" in matcher) {
    const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    return Number.isFinite(number) && compareNumeric(number, matcher["numeric"] as unknown[]);
  }
  return false;
};

const matchesLeaf = (allowedValues: readonly unknown[], value: unknown, present: boolean): boolean => {
  const candidates = Array.isArray(value) ? value : [value];
  return allowedValues.some((allowed) => candidates.some((candidate) => matchesValue(allowed, candidate, present)));
};

export const matchesPattern = (pattern: Record<string, unknown>, record: unknown): boolean =>
  Object.entries(pattern).every(([key, expected]) => {
    const present = isObject(record) && key in record;
    const value = present ? (record as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) return matchesLeaf(expected, value, present);
    // A missing object leaves every field under it missing: only `exists: false` leaves can match it, as AWS
    // documents for DynamoDB records (`{"NewImage": {"Address": {"S": [{"exists": false}]}}}` matches an item without Address).
    if (isObject(expected)) return matchesPattern(expected, present ? value : undefined);
    return false;
  });

/** Parses the template's `FilterCriteria.Filters[].Pattern` strings once. */
export const parseFilterPatterns = (filters: readonly { Pattern?: string }[] | undefined): Record<string, unknown>[] =>
  (filters ?? []).map((filter) => {
    const pattern = JSON.parse(filter.Pattern ?? "{}") as unknown;
    if (!isObject(pattern)) throw new Error(`FilterCriteria pattern must be a JSON object: ${filter.Pattern}`);
    return pattern;
  });

/** True when there are no patterns, or the record matches one of them. */
export const passesFilters = (patterns: readonly Record<string, unknown>[], record: unknown): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, record));

/** SQS records are matched with a JSON body parsed, as Lambda does; other bodies stay strings. */
export const sqsRecordForFiltering = (record: { body: string } & Record<string, unknown>): Record<string, unknown> => {
  try {
    return { ...record, body: JSON.parse(record.body) as unknown };
  } catch {
    return record;
  }
};
