import { AwsError } from "../endpoint/aws-error";

const malformed = (reason: string): AwsError => new AwsError("MalformedPolicyException", `Policy document is malformed: ${reason}`, 400);

const isStringOrStrings = (value: unknown): boolean =>
  typeof value === "string" || (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string"));

/**
 * Checks an IoT policy document the way AWS refuses bad ones (MalformedPolicyException): valid JSON,
 * a Statement (one or a list), each with Effect Allow|Deny, Action or NotAction, and Resource or NotResource. Catching this
 * locally keeps a broken policy from passing tests and then failing at deployment.
 */
export const validatePolicyDocument = (document: string): void => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw malformed("not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw malformed("must be a JSON object");
  const { Version, Statement } = parsed as { Version?: unknown; Statement?: unknown };
  if (Version !== undefined && typeof Version !== "string") throw malformed("Version must be a string");
  const statements = Array.isArray(Statement) ? Statement : Statement === undefined ? [] : [Statement];
  if (statements.length === 0) throw malformed("Statement is required");
  statements.forEach((statement: unknown, index) => {
    if (typeof statement !== "object" || statement === null || Array.isArray(statement))
      throw malformed(`Statement ${index} must be an object`);
    const fields = statement as Record<string, unknown>;
    if (fields.Effect !== "Allow" && fields.Effect !== "Deny") throw malformed(`Statement ${index} Effect must be Allow or Deny`);
    for (const key of ["Action", "Resource"]) {
      const value = fields[key] ?? fields[`Not${key}`];
      if (fields[key] !== undefined && fields[`Not${key}`] !== undefined)
        throw malformed(`Statement ${index} has both ${key} and Not${key}`);
      if (!isStringOrStrings(value)) throw malformed(`Statement ${index} ${key} (or Not${key}) must be a string or a list of strings`);
    }
  });
};
