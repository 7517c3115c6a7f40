import { IotSqlError, type Expression, type SelectItem, type SqlStatement } from "./iot-sql-ast";
import { tokenize, type Token } from "./iot-sql-lexer";

const COMPARISONS = new Set(["=", "<>", "<", "<=", ">", ">="]);
const RESERVED = new Set(["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "AS", "IS"]);

/**
 * Parses `SELECT ... FROM '<topic filter>' [WHERE ...]`: `*`, expressions with `AS`, nested fields,
 * literals, `topic([n])`, `timestamp()`, `newuuid()`, `clientid()`, comparisons, AND / OR / NOT,
 * IS [NOT] NULL and parentheses. Keywords are case-insensitive. Errors name the position.
 */
export const parseIotSql = (sql: string): SqlStatement => {
  const tokens = tokenize(sql);
  let index = 0;
  const peek = (): Token => tokens[index] as Token;
  const next = (): Token => tokens[index++] as Token;
  const describe = (token: Token): string =>
    token.type === "end" ? "the end of the statement" : token.type === "number" ? `${token.value}` : token.type === "string" ? `'${token.text}'` : `'${token.text}'`;
  const fail = (expected: string): never => {
    const token = peek();
    throw new IotSqlError(`expected ${expected} at position ${token.position}, found ${describe(token)}`);
  };
  const isKeyword = (word: string): boolean => {
    const token = peek();
    return token.type === "word" && token.text.toUpperCase() === word;
  };
  const expectKeyword = (word: string): void => {
    if (!isKeyword(word)) fail(word);
    index += 1;
  };
  const isSymbol = (symbol: string): boolean => {
    const token = peek();
    return token.type === "symbol" && token.text === symbol;
  };
  const expectSymbol = (symbol: string): void => {
    if (!isSymbol(symbol)) fail(`'${symbol}'`);
    index += 1;
  };

  const primary = (): Expression => {
    const token = next();
    if (token.type === "number") return { kind: "literal", value: token.value };
    if (token.type === "string") return { kind: "literal", value: token.text };
    if (token.type === "symbol" && token.text === "(") {
      const inner = expression();
      expectSymbol(")");
      return inner;
    }
    if (token.type !== "word" || RESERVED.has(token.text.toUpperCase())) {
      index -= 1;
      return fail("a value, field or function");
    }
    const upper = token.text.toUpperCase();
    if (upper === "TRUE" || upper === "FALSE") return { kind: "literal", value: upper === "TRUE" };
    if (upper === "NULL") return { kind: "literal", value: null };
    if (isSymbol("(")) {
      index += 1;
      const args: Expression[] = [];
      if (!isSymbol(")")) {
        do args.push(expression());
        while (isSymbol(",") && next());
      }
      expectSymbol(")");
      return { kind: "call", name: token.text.toLowerCase(), args };
    }
    const segments: (string | number)[] = [token.text];
    for (;;) {
      if (isSymbol(".")) {
        index += 1;
        const field = next();
        if (field.type !== "word") {
          index -= 1;
          fail("a field name after '.'");
        }
        segments.push((field as { text: string }).text);
      } else if (isSymbol("[")) {
        index += 1;
        const position = next();
        if (position.type !== "number") {
          index -= 1;
          fail("an array index");
        }
        segments.push((position as { value: number }).value);
        expectSymbol("]");
      } else {
        return { kind: "path", segments };
      }
    }
  };

  const comparison = (): Expression => {
    const left = primary();
    if (isKeyword("IS")) {
      index += 1;
      const negated = isKeyword("NOT");
      if (negated) index += 1;
      expectKeyword("NULL");
      return { kind: "isNull", operand: left, negated };
    }
    const token = peek();
    if (token.type === "symbol" && COMPARISONS.has(token.text)) {
      index += 1;
      return { kind: "compare", operator: token.text as "=", left, right: primary() };
    }
    return left;
  };
  const negation = (): Expression => {
    if (isKeyword("NOT")) {
      index += 1;
      return { kind: "not", operand: negation() };
    }
    return comparison();
  };
  const conjunction = (): Expression => {
    let left = negation();
    while (isKeyword("AND")) {
      index += 1;
      left = { kind: "logical", operator: "AND", left, right: negation() };
    }
    return left;
  };
  const expression = (): Expression => {
    let left = conjunction();
    while (isKeyword("OR")) {
      index += 1;
      left = { kind: "logical", operator: "OR", left, right: conjunction() };
    }
    return left;
  };

  const defaultAlias = (expr: Expression): string =>
    expr.kind === "path" ? String(expr.segments[expr.segments.length - 1]) : expr.kind === "call" ? expr.name : "value";

  expectKeyword("SELECT");
  const select: SelectItem[] = [];
  do {
    if (isSymbol("*")) {
      index += 1;
      select.push({ kind: "all" });
      continue;
    }
    const expr = expression();
    let alias = defaultAlias(expr);
    if (isKeyword("AS")) {
      index += 1;
      const name = next();
      if (name.type !== "word") {
        index -= 1;
        fail("a name after AS");
      }
      alias = (name as { text: string }).text;
    }
    select.push({ kind: "expression", expression: expr, alias });
  } while (isSymbol(",") && next());
  expectKeyword("FROM");
  const from = next();
  if (from.type !== "string") {
    index -= 1;
    fail("a quoted topic filter after FROM");
  }
  let where: Expression | undefined;
  if (isKeyword("WHERE")) {
    index += 1;
    where = expression();
  }
  if (peek().type !== "end") fail("the end of the statement");
  return { select, from: (from as { text: string }).text, ...(where ? { where } : {}) };
};
