import { topicMatches, topicSegment } from "../mqtt/topic-filter";
import type { CallExpression, Expression, FieldStep, IotSqlStatement } from "./iot-sql-ast";
import { and, compare, not, or, toTruth } from "./iot-sql-values";

/** A message as the local broker hands it to the rules engine. */
export interface RuleMessage {
  readonly topic: string;
  readonly payload: Buffer | string;
  /** The publishing MQTT client; absent for messages that did not come over MQTT. */
  readonly clientId?: string;
}

/** Everything non-deterministic, injected so a rule's output is reproducible in tests. */
export interface RuleEnvironment {
  /** Epoch milliseconds, for `timestamp()`. */
  readonly now: () => number;
  /** A fresh unique id, for `newuuid()`. */
  readonly newId: () => string;
}

/** `matched` is false when the topic or the WHERE condition rejects the message; `output` is what the actions receive. */
export interface RuleResult {
  readonly matched: boolean;
  readonly output?: unknown;
}

const NOT_JSON = Symbol("not JSON");

interface Context {
  readonly message: RuleMessage;
  readonly env: RuleEnvironment;
  /** The parsed payload, or {@link NOT_JSON} for binary and other non-JSON payloads. */
  readonly document: unknown;
}

const parsePayload = (payload: Buffer | string): unknown => {
  try {
    return JSON.parse(typeof payload === "string" ? payload : payload.toString("utf8")) as unknown;
  } catch {
    return NOT_JSON;
  }
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const lookup = (document: unknown, path: readonly FieldStep[]): unknown => {
  let current = document;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[step] as unknown;
    } else {
      if (!isPlainObject(current) || !Object.hasOwn(current, step)) return undefined;
      current = current[step];
    }
  }
  return current;
};

const toBytes = (value: unknown): Buffer | undefined => {
  if (value === undefined) return undefined;
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8");
};

const call = (expression: CallExpression, context: Context): unknown => {
  switch (expression.name) {
    case "topic":
      return expression.segment === undefined ? context.message.topic : topicSegment(context.message.topic, expression.segment);
    case "timestamp":
      return context.env.now();
    case "newuuid":
      return context.env.newId();
    case "clientid":
      return context.message.clientId ?? "n/a";
    case "encode": {
      const bytes = expression.source === "payload" ? toBytes(context.message.payload) : toBytes(evaluate(expression.source, context));
      return bytes?.toString("base64");
    }
  }
};

/** Value of one expression; `undefined` stands for AWS's Undefined and propagates through operators. */
const evaluate = (expression: Expression, context: Context): unknown => {
  switch (expression.kind) {
    case "literal":
      return expression.value;
    case "field":
      return context.document === NOT_JSON ? undefined : lookup(context.document, expression.path);
    case "call":
      return call(expression, context);
    case "comparison":
      return compare(expression.operator, evaluate(expression.left, context), evaluate(expression.right, context));
    case "and":
      return and(toTruth(evaluate(expression.left, context)), toTruth(evaluate(expression.right, context)));
    case "or":
      return or(toTruth(evaluate(expression.left, context)), toTruth(evaluate(expression.right, context)));
    case "not":
      return not(toTruth(evaluate(expression.operand, context)));
    case "isNull": {
      const value = evaluate(expression.operand, context);
      if (value === undefined) return undefined;
      return expression.negated ? value !== null : value === null;
    }
  }
};

/**
 * What the SELECT list makes of the message. A lone `*` passes the payload through: the parsed JSON,
 * or the raw Buffer/string when it is not JSON (AWS forwards binary payloads untouched). Named items
 * are written into an object (on top of the payload's keys when `*` is also selected and the payload
 * is a JSON object); items that evaluate to Undefined are left out (a
 * payload key of the same name is kept), as AWS omits them.
 */
const project = (statement: IotSqlStatement, context: Context): unknown => {
  const [first] = statement.select;
  if (statement.select.length === 1 && first?.kind === "all") {
    return context.document === NOT_JSON ? context.message.payload : context.document;
  }
  const selectsAll = statement.select.some((item) => item.kind === "all");
  const output: Record<string, unknown> = selectsAll && isPlainObject(context.document) ? { ...context.document } : {};
  for (const item of statement.select) {
    if (item.kind === "all") continue;
    const value = evaluate(item.expression, context);
    if (value !== undefined) output[item.name] = value;
  }
  return output;
};

/**
 * Runs one parsed rule against one message, as AWS IoT's rules engine would: the FROM filter must
 * match the topic, the WHERE condition (if any) must be true (Undefined is not true), and then the
 * SELECT list shapes the output. Pure: time and ids come from `env`, nothing is published here.
 */
export const evaluateRule = (statement: IotSqlStatement, message: RuleMessage, env: RuleEnvironment): RuleResult => {
  if (!topicMatches(statement.from, message.topic)) return { matched: false };
  const context: Context = { message, env, document: parsePayload(message.payload) };
  if (statement.where !== undefined && toTruth(evaluate(statement.where, context)) !== true) return { matched: false };
  return { matched: true, output: project(statement, context) };
};
