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
  if (!Number.isFinite(value) || value <= 0) throw new Error(`environment variable ${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
};
