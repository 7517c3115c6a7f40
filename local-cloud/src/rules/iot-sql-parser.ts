import { topicFilterProblem } from "../mqtt/topic-filter";
import type { CallExpression, ComparisonOperator, Expression, FieldStep, IotSqlStatement, SelectItem } from "./iot-sql-ast";
import { IotSqlError } from "./iot-sql-error";
import { type SymbolText, type Token, tokenize } from "./iot-sql-lexer";

const RESERVED = new Set(["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "AS", "IS", "NULL", "TRUE", "FALSE"]);
const COMPARISONS: ReadonlyMap<SymbolText, ComparisonOperator> = new Map([
  ["=", "="],
  ["<>", "<>"],
  ["!=", "<>"],
  ["<", "<"],
  ["<=", "<="],
  [">", ">"],
  [">=", ">="],
]);
const FUNCTIONS = "topic(), topic(n), timestamp(), newuuid(), clientid(), encode(value, 'base64')";

const describe = (token: Token): string => (token.type === "end" ? "the end of the statement" : `'${token.text}'`);

/**
 * Recursive-descent parser over the token list. One instance per statement; `parseIotSql` is the
 * only way in, so the cursor never leaks.
 */
class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  statement(): IotSqlStatement {
    this.keyword("SELECT");
    const select = this.selectList();
    this.keyword("FROM");
    const fromToken = this.peek();
    if (fromToken.type !== "string") this.fail("a quoted topic filter such as 'devices/+/data'");
    const from = (this.next() as Extract<Token, { type: "string" }>).value;
    const problem = topicFilterProblem(from);
    if (problem !== undefined) {
      throw new IotSqlError(`Invalid topic filter ${fromToken.text} at position ${fromToken.position}: ${problem}`, fromToken.position);
    }
    let where: Expression | undefined;
    if (this.isKeyword("WHERE")) {
      this.next();
      where = this.expression();
    }
    if (this.peek().type !== "end")
      this.fail(where === undefined ? "WHERE or the end of the statement" : "AND, OR or the end of the statement");
    return where === undefined ? { select, from } : { select, from, where };
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [];
    for (;;) {
      if (this.isSymbol("*")) {
        const star = this.next();
        if (items.some((item) => item.kind === "all")) {
          throw new IotSqlError(`'*' is selected twice, again at position ${star.position}`, star.position);
        }
        items.push({ kind: "all" });
      } else {
        const expression = this.expression();
        items.push({ kind: "expression", expression, name: this.alias(expression, items.length + 1) });
      }
      if (!this.isSymbol(",")) return items;
      this.next();
    }
  }

  private alias(expression: Expression, itemPosition: number): string {
    if (this.isKeyword("AS")) {
      this.next();
      return this.identifier("a name after AS");
    }
    if (expression.kind === "field") {
      const key = [...expression.path].reverse().find((step): step is string => typeof step === "string");
      return key as string;
    }
    if (expression.kind === "call") return expression.name;
    return `_${itemPosition}`;
  }

  expression(): Expression {
    let left = this.conjunction();
    while (this.isKeyword("OR")) {
      this.next();
      left = { kind: "or", left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Expression {
    let left = this.negation();
    while (this.isKeyword("AND")) {
      this.next();
      left = { kind: "and", left, right: this.negation() };
    }
    return left;
  }

  private negation(): Expression {
    if (this.isKeyword("NOT")) {
      this.next();
      return { kind: "not", operand: this.negation() };
    }
    return this.predicate();
  }

  private predicate(): Expression {
    const left = this.primary();
    const token = this.peek();
    const operator = token.type === "symbol" ? COMPARISONS.get(token.text) : undefined;
    if (operator !== undefined) {
      this.next();
      return { kind: "comparison", operator, left, right: this.primary() };
    }
    if (this.isKeyword("IS")) {
      this.next();
      const negated = this.isKeyword("NOT");
      if (negated) this.next();
      this.keyword("NULL");
      return { kind: "isNull", operand: left, negated };
    }
    return left;
  }

  private primary(): Expression {
    const token = this.peek();
    if (token.type === "string" || token.type === "number") {
      this.next();
      return { kind: "literal", value: token.value };
    }
    if (token.type === "symbol" && token.text === "-") {
      this.next();
      const number = this.peek();
      if (number.type !== "number") this.fail("a number after '-'");
      this.next();
      return { kind: "literal", value: -(number as Extract<Token, { type: "number" }>).value };
    }
    if (token.type === "symbol" && token.text === "(") {
      this.next();
      const inner = this.expression();
      this.symbol(")", `')' to close the '(' at position ${token.position}`);
      return inner;
    }
    if (token.type === "word") {
      const upper = token.text.toUpperCase();
      if (upper === "TRUE" || upper === "FALSE") {
        this.next();
        return { kind: "literal", value: upper === "TRUE" };
      }
      if (upper === "NULL") {
        this.next();
        return { kind: "literal", value: null };
      }
      if (this.tokens[this.index + 1]?.text === "(") return this.call();
      if (!RESERVED.has(upper)) return this.field();
    }
    return this.fail("a field, literal, function call or '('");
  }

  private field(): Expression {
    const path: [string, ...FieldStep[]] = [this.identifier("a field name")];
    for (;;) {
      if (this.isSymbol(".")) {
        this.next();
        const key = this.peek();
        if (key.type !== "word") this.fail("a field name after '.'");
        path.push(this.next().text);
      } else if (this.isSymbol("[")) {
        this.next();
        const index = this.peek();
        if (index.type !== "number" || !Number.isInteger(index.value)) this.fail("an array index after '['");
        path.push((this.next() as Extract<Token, { type: "number" }>).value);
        this.symbol("]", "']' to close the array index");
      } else {
        return { kind: "field", path };
      }
    }
  }

  private call(): CallExpression {
    const nameToken = this.next();
    const name = nameToken.text.toLowerCase();
    this.symbol("(", "'('");
    if (name === "topic") {
      if (this.isSymbol(")")) {
        this.next();
        return { kind: "call", name };
      }
      const segment = this.peek();
      if (segment.type !== "number" || !Number.isInteger(segment.value) || segment.value < 1) {
        this.fail("a topic level number (1 or more) or ')' in topic()");
      }
      this.next();
      this.symbol(")", "')' to close topic(");
      return { kind: "call", name, segment: (segment as Extract<Token, { type: "number" }>).value };
    }
    if (name === "timestamp" || name === "newuuid" || name === "clientid") {
      this.symbol(")", `')': ${name}() takes no arguments`);
      return { kind: "call", name };
    }
    if (name === "encode") {
      const star = this.isSymbol("*");
      if (star) this.next();
      const source = star ? ("payload" as const) : this.expression();
      this.symbol(",", "',' and an encoding in encode()");
      const encoding = this.peek();
      if (encoding.type !== "string" || encoding.value !== "base64") this.fail("the encoding 'base64' (the only one supported)");
      this.next();
      this.symbol(")", "')' to close encode(");
      return { kind: "call", name, source, encoding: "base64" };
    }
    throw new IotSqlError(
      `Unknown function '${nameToken.text}' at position ${nameToken.position}: expected one of ${FUNCTIONS}`,
      nameToken.position,
    );
  }

  private identifier(expected: string): string {
    const token = this.peek();
    if (token.type !== "word" || RESERVED.has(token.text.toUpperCase())) this.fail(expected);
    return this.next().text;
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(word);
    this.next();
  }

  private symbol(text: SymbolText, expected: string): void {
    if (!this.isSymbol(text)) this.fail(expected);
    this.next();
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.type === "word" && token.text.toUpperCase() === word;
  }

  private isSymbol(text: SymbolText): boolean {
    const token = this.peek();
    return token.type === "symbol" && token.text === text;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== "end") this.index += 1;
    return token;
  }

  private fail(expected: string): never {
    const token = this.peek();
    throw new IotSqlError(`Expected ${expected} at position ${token.position} but found ${describe(token)}`, token.position);
  }
}

/**
 * Parses one rule statement into a typed tree. Throws {@link IotSqlError} naming the position and
 * what was expected, so the local cloud can reject a template's rule the way AWS does at deploy time
 * instead of dropping messages later. Keywords are case-insensitive; field names are not.
 */
export const parseIotSql = (sql: string): IotSqlStatement => new Parser(tokenize(sql)).statement();
