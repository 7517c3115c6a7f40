import type { Expression, SqlStatement } from "./iot-sql-ast";

export interface SqlMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly clientId?: string;
}

export interface SqlEnvironment {
  readonly now: () => number;
  readonly newId: () => string;
}

/** What a rule makes of one message: whether WHERE held, and the SELECTed output (JSON, or raw bytes). */
export interface SqlResult {
  readonly matched: boolean;
  readonly output?: unknown;
}

const parsePayload = (payload: Buffer): { json: boolean; value: unknown } => {
  try {
    return { json: true, value: JSON.parse(payload.toString("utf8")) as unknown };
  } catch {
    return { json: false, value: undefined };
  }
};

const field = (node: unknown, key: string | number): unknown =>
  node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined;

/** Same-typed values compare (numbers numerically, strings lexicographically); anything else is Undefined. */
const compare = (operator: string, left: unknown, right: unknown): boolean | undefined => {
  if (left === undefined || right === undefined) return undefined;
  if (operator === "=" || operator === "<>") {
    const equal = typeof left === typeof right && (typeof left === "object" ? JSON.stringify(left) === JSON.stringify(right) : left === right);
    return operator === "=" ? equal : !equal;
  }
  if (typeof left !== typeof right || (typeof left !== "number" && typeof left !== "string")) return undefined;
  const a = left as number | string;
  const b = right as number | string;
  return operator === "<" ? a < b : operator === "<=" ? a <= b : operator === ">" ? a > b : a >= b;
};

/**
 * Evaluates a parsed rule on one message as AWS IoT does: fields of a JSON payload, Undefined for
 * what is missing (a comparison with Undefined is not true, an Undefined output field is left out),
 * `SELECT *` of a non-JSON payload passes the bytes through unchanged.
 */
export const evaluateStatement = (statement: SqlStatement, message: SqlMessage, env: SqlEnvironment): SqlResult => {
  const payload = parsePayload(message.payload);
  const segments = message.topic.split("/");
  const value = (expression: Expression): unknown => {
    switch (expression.kind) {
      case "literal":
        return expression.value;
      case "path":
        return expression.segments.reduce<unknown>((node, key) => field(node, key), payload.value);
      case "call":
        switch (expression.name) {
          case "topic": {
            const position = expression.args[0] ? value(expression.args[0]) : undefined;
            return position === undefined ? message.topic : segments[Number(position) - 1];
          }
          case "timestamp":
            return env.now();
          case "newuuid":
            return env.newId();
          case "clientid":
            return message.clientId ?? "";
          default:
            throw new Error(`IoT SQL function ${expression.name}() is not supported by the local rules engine`);
        }
      case "not": {
        const operand = value(expression.operand);
        return typeof operand === "boolean" ? !operand : undefined;
      }
      case "logical": {
        const left = value(expression.left) === true;
        return expression.operator === "AND" ? left && value(expression.right) === true : left || value(expression.right) === true;
      }
      case "compare":
        return compare(expression.operator, value(expression.left), value(expression.right));
      case "isNull": {
        const operand = value(expression.operand);
        const isNull = operand === null;
        return expression.negated ? operand !== undefined && !isNull : isNull;
      }
    }
  };

  if (statement.where && value(statement.where) !== true) return { matched: false };
  const selectsAll = statement.select.some((item) => item.kind === "all");
  if (selectsAll && !payload.json) return { matched: true, output: message.payload };
  const output: Record<string, unknown> = selectsAll && payload.value !== null && typeof payload.value === "object" ? { ...(payload.value as object) } : {};
  for (const item of statement.select) {
    if (item.kind === "all") continue;
    const result = value(item.expression);
    if (result !== undefined) output[item.alias] = result;
  }
  return { matched: true, output };
};
