import type { ParameterValue } from "./template-parameters";

/**
 * Evaluates CloudFormation intrinsic functions in a template fragment, so that the local cloud
 * wires resources with exactly the names, ARNs and settings that CloudFormation would compute in
 * that region. Everything that depends on deployed state (a resource's Ref or attributes, a
 * condition's value) comes from the context, which keeps this evaluator pure.
 */
export interface IntrinsicContext {
  /** Resolved template parameters, already type-converted. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** `AWS::Region`, `AWS::AccountId`, ... (without `AWS::NoValue`, which is handled here). */
  readonly pseudoParameters: Readonly<Record<string, string>>;
  /** The template's Mappings section. */
  readonly mappings: Readonly<Record<string, unknown>>;
  /** The value of a named condition (throws for an unknown one). */
  readonly condition: (name: string) => boolean;
  /** `Ref` of a resource: its physical id (throws for an unknown or absent resource). */
  readonly resourceRef: (logicalId: string) => unknown;
  /** `Fn::GetAtt` of a resource (throws for an unknown or absent resource). */
  readonly attribute: (logicalId: string, attribute: string) => unknown;
}

/** What `Ref: AWS::NoValue` evaluates to; removed from the enclosing object or list. */
export const NO_VALUE: unique symbol = Symbol("AWS::NoValue");

const fail = (path: string, message: string): never => {
  throw new Error(`${path}: ${message}`);
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The name of the intrinsic function if `value` is one (`{ "Fn::X": ... }`, `{ Ref: ... }`). */
export const intrinsicName = (value: unknown, inCondition = false): string | undefined => {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  if (key === "Ref" || key.startsWith("Fn::") || (inCondition && key === "Condition")) return key;
  return undefined;
};

const scalarText = (value: unknown, path: string, what: string): string => {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return fail(path, `${what} must be a string, got ${JSON.stringify(value)}`);
};

const argumentList = (value: unknown, path: string, name: string, lengths: readonly number[]): unknown[] => {
  if (!Array.isArray(value) || !lengths.includes(value.length)) {
    return fail(path, `${name} takes a list of ${lengths.join(" or ")} arguments`);
  }
  return value;
};

/** Normalises scalars to strings (CloudFormation compares `true` and "true" as equal). */
const comparable = (value: unknown): unknown => {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(comparable);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, comparable(item)]));
  return value;
};

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** The `${...}` names a Fn::Sub string refers to, skipping `${!Literal}` escapes. */
export const subPlaceholders = (text: string): string[] =>
  [...text.matchAll(PLACEHOLDER)].map((match) => (match[1] as string).trim()).filter((name) => !name.startsWith("!"));

/**
 * Evaluates `value` (any template fragment) in `context`. `path` names the fragment in error
 * messages. The result may be {@link NO_VALUE} when the whole fragment is `Ref: AWS::NoValue`.
 */
export const evaluate = (value: unknown, context: IntrinsicContext, path: string, inCondition = false): unknown => {
  const name = intrinsicName(value, inCondition);
  if (name !== undefined) return evaluateFunction(name, (value as Record<string, unknown>)[name], context, `${path}.${name}`);
  if (Array.isArray(value)) {
    return value.map((item, index) => evaluate(item, context, `${path}[${index}]`, inCondition)).filter((item) => item !== NO_VALUE);
  }
  if (isRecord(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const evaluated = evaluate(item, context, `${path}.${key}`, inCondition);
      if (evaluated !== NO_VALUE) result[key] = evaluated;
    }
    return result;
  }
  return value;
};

/** Evaluates a condition expression, which must yield a boolean. */
export const evaluateCondition = (value: unknown, context: IntrinsicContext, path: string): boolean => {
  const result = evaluate(value, context, path, true);
  if (typeof result !== "boolean") fail(path, `a condition must evaluate to true or false, got ${JSON.stringify(result)}`);
  return result as boolean;
};

const ref = (target: unknown, context: IntrinsicContext, path: string): unknown => {
  if (typeof target !== "string") return fail(path, "Ref takes a logical name");
  if (target === "AWS::NoValue") return NO_VALUE;
  if (target.startsWith("AWS::")) {
    const pseudo = context.pseudoParameters[target];
    return pseudo ?? fail(path, `unknown pseudo parameter ${target}`);
  }
  if (target in context.parameters) return context.parameters[target];
  return context.resourceRef(target);
};

const getAtt = (args: unknown, context: IntrinsicContext, path: string): unknown => {
  const [logicalId, attribute] =
    typeof args === "string" && args.includes(".")
      ? [args.slice(0, args.indexOf(".")), args.slice(args.indexOf(".") + 1)]
      : argumentList(args, path, "Fn::GetAtt", [2]);
  if (typeof logicalId !== "string") return fail(path, "Fn::GetAtt needs a logical name");
  const attributeName = scalarText(evaluate(attribute, context, path), path, "the Fn::GetAtt attribute");
  return context.attribute(logicalId, attributeName);
};

const sub = (args: unknown, context: IntrinsicContext, path: string): string => {
  const [text, rawVariables] = typeof args === "string" ? [args, {}] : argumentList(args, path, "Fn::Sub", [1, 2]);
  if (typeof text !== "string") return fail(path, "the Fn::Sub template must be a string");
  const variables = evaluate(rawVariables ?? {}, context, path);
  if (!isRecord(variables)) return fail(path, "Fn::Sub variables must be a map");
  return text.replace(PLACEHOLDER, (_whole, inner: string) => {
    const name = inner.trim();
    if (name.startsWith("!")) return `\${${name.slice(1)}}`;
    const where = `${path} \${${name}}`;
    if (name in variables) return scalarText(variables[name], where, "a Fn::Sub variable");
    const resolved =
      name.includes(".") && !name.startsWith("AWS::")
        ? context.attribute(name.slice(0, name.indexOf(".")), name.slice(name.indexOf(".") + 1))
        : ref(name, context, where);
    if (resolved === NO_VALUE) return fail(where, "AWS::NoValue cannot be substituted");
    return scalarText(resolved, where, "a substituted value");
  });
};

const list = (value: unknown, path: string, what: string): unknown[] =>
  Array.isArray(value) ? value : fail(path, `${what} must be a list`);

const booleanArguments = (args: unknown, context: IntrinsicContext, path: string, name: string, min: number, max: number): boolean[] => {
  if (!Array.isArray(args) || args.length < min || args.length > max) return fail(path, `${name} takes ${min} to ${max} conditions`);
  return args.map((item, index) => evaluateCondition(item, context, `${path}[${index}]`));
};

const findInMap = (args: unknown, context: IntrinsicContext, path: string): unknown => {
  const raw = argumentList(args, path, "Fn::FindInMap", [3, 4]);
  const [mapName, topKey, secondKey] = raw
    .slice(0, 3)
    .map((item, index) => scalarText(evaluate(item, context, path), `${path}[${index}]`, "a Fn::FindInMap key"));
  const options = raw[3] === undefined ? undefined : evaluate(raw[3], context, path);
  const map = context.mappings[mapName as string];
  if (map === undefined) return fail(path, `no mapping named ${mapName}`);
  const top = isRecord(map) ? map[topKey as string] : undefined;
  const found = isRecord(top) ? top[secondKey as string] : undefined;
  if (found !== undefined) return found;
  if (isRecord(options) && "DefaultValue" in options) return options.DefaultValue;
  return fail(path, `mapping ${mapName} has no ${topKey}.${secondKey}`);
};

const evaluateFunction = (name: string, args: unknown, context: IntrinsicContext, path: string): unknown => {
  switch (name) {
    case "Ref":
      return ref(args, context, path);
    case "Condition":
      return context.condition(scalarText(args, path, "a condition name"));
    case "Fn::GetAtt":
      return getAtt(args, context, path);
    case "Fn::Sub":
      return sub(args, context, path);
    case "Fn::Join": {
      const [delimiter, items] = argumentList(args, path, "Fn::Join", [2]);
      const values = list(evaluate(items, context, path), path, "the Fn::Join values");
      return values
        .map((item, index) => scalarText(item, `${path}[${index}]`, "a Fn::Join value"))
        .join(scalarText(delimiter, path, "the delimiter"));
    }
    case "Fn::Select": {
      const [rawIndex, items] = argumentList(args, path, "Fn::Select", [2]);
      const index = Number(scalarText(evaluate(rawIndex, context, path), path, "the Fn::Select index"));
      const values = list(evaluate(items, context, path), path, "the Fn::Select list");
      if (!Number.isInteger(index) || index < 0 || index >= values.length)
        return fail(path, `index ${index} is out of range for a list of ${values.length}`);
      return values[index];
    }
    case "Fn::Split": {
      const [delimiter, source] = argumentList(args, path, "Fn::Split", [2]);
      const text = scalarText(evaluate(source, context, path), path, "the Fn::Split source");
      return text.split(scalarText(delimiter, path, "the delimiter"));
    }
    case "Fn::If": {
      const [condition, whenTrue, whenFalse] = argumentList(args, path, "Fn::If", [3]);
      const holds = context.condition(scalarText(condition, path, "the Fn::If condition name"));
      return holds ? evaluate(whenTrue, context, `${path}[1]`) : evaluate(whenFalse, context, `${path}[2]`);
    }
    case "Fn::Equals": {
      const [left, right] = argumentList(args, path, "Fn::Equals", [2]).map((item) => comparable(evaluate(item, context, path)));
      return JSON.stringify(left) === JSON.stringify(right);
    }
    case "Fn::Not":
      return !booleanArguments(args, context, path, name, 1, 1)[0];
    case "Fn::And":
      return booleanArguments(args, context, path, name, 2, 10).every(Boolean);
    case "Fn::Or":
      return booleanArguments(args, context, path, name, 2, 10).some(Boolean);
    case "Fn::FindInMap":
      return findInMap(args, context, path);
    case "Fn::Base64":
      return Buffer.from(scalarText(evaluate(args, context, path), path, "the Fn::Base64 value"), "utf8").toString("base64");
    default:
      return fail(path, `unsupported intrinsic function ${name}`);
  }
};
