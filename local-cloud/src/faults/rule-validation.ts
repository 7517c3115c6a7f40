/**
 * What every part of the fault rule set is checked with: the error type, the services a rule may name,
 * and the small validators that turn a bad value into one line naming where it is and what is wrong.
 */

/** The services whose API calls can be throttled (the endpoint's routing names). */
export const THROTTLED_SERVICES = ["iot", "iotdata", "dynamodb", "sqs", "ssm", "lambda"] as const;
export type ThrottledService = (typeof THROTTLED_SERVICES)[number];

export class FaultRulesError extends Error {
  override readonly name = "FaultRulesError";
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const onlyKnownKeys = (value: Record<string, unknown>, known: readonly string[], where: string): void => {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new FaultRulesError(`${where}: unknown key '${unknown}' (known: ${known.join(", ")})`);
};

export const name = (value: unknown, where: string, fallback?: string): string => {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string" || value.length === 0) throw new FaultRulesError(`${where}: must be a non-empty string`);
  return value;
};

export const list = (value: unknown, where: string): unknown[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new FaultRulesError(`${where}: must be a list`);
  return value;
};

export const throttledService = (value: unknown, where: string): ThrottledService => {
  const service = name(value, where);
  if (!(THROTTLED_SERVICES as readonly string[]).includes(service))
    throw new FaultRulesError(`${where}: unknown service '${service}' (known: ${THROTTLED_SERVICES.join(", ")})`);
  return service as ThrottledService;
};
