/**
 * Reads a function's configuration from its environment once, at module scope, and fails the cold
 * start loudly (naming the variable) instead of failing every record later with a vaguer error.
 */
export const requireEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") {
    throw new Error(`environment variable ${name} is required but not set`);
  }
  return value;
};

export const requirePositiveNumberEnv = (name: string): number => {
  const raw = requireEnv(name);
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`environment variable ${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
};

/** A variable the template may leave empty on purpose (an optional parameter): undefined when unset or empty. */
export const optionalEnv = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};

export const requireNonNegativeNumberEnv = (name: string): number => {
  const raw = requireEnv(name);
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`environment variable ${name} must be a number of 0 or more, got ${JSON.stringify(raw)}`);
  return value;
};

/** One of the values a CloudFormation parameter's AllowedValues permit. */
export const requireOneOfEnv = <T extends string>(name: string, allowed: readonly T[]): T => {
  const raw = requireEnv(name);
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new Error(`environment variable ${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(raw)}`);
};

/** "true" or "false", as a CloudFormation String parameter with those AllowedValues passes a switch. */
export const requireBooleanEnv = (name: string): boolean => {
  const raw = requireEnv(name);
  if (raw !== "true" && raw !== "false")
    throw new Error(`environment variable ${name} must be "true" or "false", got ${JSON.stringify(raw)}`);
  return raw === "true";
};

/** A comma-separated list parameter (attribute names, ...): empty entries dropped, an unset variable an empty list. */
export const listEnv = (name: string): string[] =>
  (optionalEnv(name) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
