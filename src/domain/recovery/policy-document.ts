/**
 * A policy document as the secondary must hold it: every IoT ARN that names the primary region names
 * the secondary instead (`arn:aws:iot:us-east-1:...:topic/x` -> `arn:aws:iot:us-west-2:...:topic/x`),
 * so that a device failing over is allowed the same things there.
 */
export const rewritePolicyDocument = (document: string, primaryRegion: string, secondaryRegion: string): string =>
  document.replace(
    new RegExp(`(arn:aws[a-z-]*:iot:)${primaryRegion.replace(/[^a-z0-9-]/g, "")}:`, "g"),
    (_match, prefix: string) => `${prefix}${secondaryRegion}:`,
  );

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
};

/** Whether two policy documents say the same (whitespace and key order aside). */
export const samePolicyDocument = (a: string, b: string): boolean => {
  try {
    return JSON.stringify(canonical(JSON.parse(a))) === JSON.stringify(canonical(JSON.parse(b)));
  } catch {
    return a === b;
  }
};
