/**
 * Typed syntax tree of the AWS IoT SQL (version 2016-03-23) subset that the project's templates use.
 * The parser produces it once per rule; the evaluator walks it for every message, so every node is a
 * plain readonly object that can be logged, compared in tests and shared between messages.
 */

/** A JSON scalar written in the SQL text: `'text'`, `42`, `-1.5`, `true`, `false`, `null`. */
export interface LiteralExpression {
  readonly kind: "literal";
  readonly value: string | number | boolean | null;
}

/** A key or array index on a field path: `state.reported.temperature`, `readings[0]`. */
export type FieldStep = string | number;

/** A reference into the JSON payload, e.g. `current.state.reported` is `["current", "state", "reported"]`. */
export interface FieldExpression {
  readonly kind: "field";
  readonly path: readonly [string, ...FieldStep[]];
}

/** `topic()` (the whole topic) or `topic(n)` (the n-th segment, 1-based). */
export interface TopicCall {
  readonly kind: "call";
  readonly name: "topic";
  readonly segment?: number;
}

/** Functions without arguments whose values come from the message or the injected environment. */
export interface NullaryCall {
  readonly kind: "call";
  readonly name: "timestamp" | "newuuid" | "clientid";
}

/** `encode(*, 'base64')` (the raw payload bytes) or `encode(expr, 'base64')`. */
export interface EncodeCall {
  readonly kind: "call";
  readonly name: "encode";
  readonly source: "payload" | Expression;
  readonly encoding: "base64";
}

/** Every function the subset knows; the union keeps each one's arguments typed. */
export type CallExpression = TopicCall | NullaryCall | EncodeCall;

/** Comparison operators; `!=` is read as `<>`, as AWS treats them the same. */
export type ComparisonOperator = "=" | "<>" | "<" | "<=" | ">" | ">=";

export interface ComparisonExpression {
  readonly kind: "comparison";
  readonly operator: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export interface LogicalExpression {
  readonly kind: "and" | "or";
  readonly left: Expression;
  readonly right: Expression;
}

export interface NotExpression {
  readonly kind: "not";
  readonly operand: Expression;
}

/** `expr IS NULL` (`negated: false`) or `expr IS NOT NULL` (`negated: true`). */
export interface IsNullExpression {
  readonly kind: "isNull";
  readonly operand: Expression;
  readonly negated: boolean;
}

/** Anything that yields a value, in SELECT items and in the WHERE condition alike. */
export type Expression =
  | LiteralExpression
  | FieldExpression
  | CallExpression
  | ComparisonExpression
  | LogicalExpression
  | NotExpression
  | IsNullExpression;

/** `*`: the whole payload. */
export interface SelectAll {
  readonly kind: "all";
}

/**
 * One `expr [AS name]` item. `name` is the output key: the alias, else the last key of a field path,
 * else the function's name, else `_<position>` (1-based item position) for other expressions.
 */
export interface SelectExpression {
  readonly kind: "expression";
  readonly expression: Expression;
  readonly name: string;
}

export type SelectItem = SelectAll | SelectExpression;

/** A whole rule statement: `SELECT <items> FROM '<topic filter>' [WHERE <condition>]`. */
export interface IotSqlStatement {
  readonly select: readonly SelectItem[];
  readonly from: string;
  readonly where?: Expression;
}
