import type { CloudFormationTemplate } from "./read-template";

/**
 * A parameter value after CloudFormation's type conversion: `Number` parameters are numbers, list
 * types are arrays, everything else is a string.
 */
export type ParameterValue = string | number | readonly string[] | readonly number[];

type ParameterDeclaration = NonNullable<CloudFormationTemplate["Parameters"]>[string];

const fail = (name: string, message: string): never => {
  throw new Error(`template parameter ${name}: ${message}`);
};

const asString = (name: string, value: unknown, what: string): string => {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return fail(name, `${what} must be a scalar, got ${JSON.stringify(value)}`);
};

const asNumber = (name: string, text: string): number => {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === "" || !Number.isFinite(value)) fail(name, `"${text}" is not a number`);
  return value;
};

const optionalNumber = (name: string, declaration: ParameterDeclaration, key: string): number | undefined => {
  const value = declaration[key];
  return value === undefined ? undefined : asNumber(name, asString(name, value, key));
};

const splitList = (text: string): string[] => (text === "" ? [] : text.split(",").map((item) => item.trim()));

/** Checks one scalar (or one list item) against the declaration's constraints. */
const validateItem = (name: string, declaration: ParameterDeclaration, text: string, isNumber: boolean): void => {
  const hint = typeof declaration.ConstraintDescription === "string" ? ` (${declaration.ConstraintDescription})` : "";
  const allowed = declaration.AllowedValues;
  if (allowed !== undefined) {
    if (!Array.isArray(allowed)) fail(name, "AllowedValues must be a list");
    const values = (allowed as unknown[]).map((item) => asString(name, item, "AllowedValues"));
    const matches = isNumber ? values.some((item) => asNumber(name, item) === asNumber(name, text)) : values.includes(text);
    if (!matches) fail(name, `"${text}" is not one of the AllowedValues ${JSON.stringify(values)}${hint}`);
  }
  if (declaration.AllowedPattern !== undefined) {
    const pattern = asString(name, declaration.AllowedPattern, "AllowedPattern");
    // CloudFormation requires the pattern to match the whole value.
    if (!new RegExp(`^(?:${pattern})$`).test(text)) fail(name, `"${text}" does not match AllowedPattern ${pattern}${hint}`);
  }
  if (isNumber) {
    const value = asNumber(name, text);
    const min = optionalNumber(name, declaration, "MinValue");
    const max = optionalNumber(name, declaration, "MaxValue");
    if (min !== undefined && value < min) fail(name, `${value} is less than MinValue ${min}${hint}`);
    if (max !== undefined && value > max) fail(name, `${value} is greater than MaxValue ${max}${hint}`);
  } else {
    const minLength = optionalNumber(name, declaration, "MinLength");
    const maxLength = optionalNumber(name, declaration, "MaxLength");
    if (minLength !== undefined && text.length < minLength) fail(name, `"${text}" is shorter than MinLength ${minLength}${hint}`);
    if (maxLength !== undefined && text.length > maxLength) fail(name, `"${text}" is longer than MaxLength ${maxLength}${hint}`);
  }
};

/** Converts and validates one parameter's text the way CloudFormation does for its Type. */
const convert = (name: string, declaration: ParameterDeclaration, text: string): ParameterValue => {
  const type = declaration.Type;
  if (type === "Number") {
    validateItem(name, declaration, text, true);
    return asNumber(name, text);
  }
  if (type === "List<Number>") {
    const items = splitList(text);
    for (const item of items) validateItem(name, declaration, item, true);
    return items.map((item) => asNumber(name, item));
  }
  if (type === "CommaDelimitedList" || /^List<.+>$/.test(type)) {
    const items = splitList(text);
    for (const item of items) validateItem(name, declaration, item, false);
    return items;
  }
  // String, AWS-specific types (AWS::EC2::KeyPair::KeyName, ...) and SSM parameter types are
  // strings here: the local cloud has no account resources to check them against.
  validateItem(name, declaration, text, false);
  return text;
};

/**
 * Resolves every declared parameter from the overrides (samconfig `parameter_overrides`) or its
 * Default, converts it per Type and validates it, so that a local deployment fails on exactly the
 * values a real `sam deploy` would reject. An override for an undeclared parameter and a parameter
 * with neither value nor Default are errors, as in CloudFormation.
 */
export const resolveParameters = (
  template: CloudFormationTemplate,
  overrides: Readonly<Record<string, string>>,
): Record<string, ParameterValue> => {
  const declarations = template.Parameters ?? {};
  for (const name of Object.keys(overrides)) {
    if (!(name in declarations)) fail(name, "is not declared in the template's Parameters");
  }
  const result: Record<string, ParameterValue> = {};
  for (const [name, declaration] of Object.entries(declarations)) {
    if (typeof declaration?.Type !== "string") fail(name, "has no Type");
    const override = overrides[name];
    const fallback = declaration.Default;
    if (override === undefined && fallback === undefined) fail(name, "has no value and no Default");
    const text =
      override ??
      (Array.isArray(fallback) ? fallback.map((item) => asString(name, item, "Default")).join(",") : asString(name, fallback, "Default"));
    result[name] = convert(name, declaration, text);
  }
  return result;
};
