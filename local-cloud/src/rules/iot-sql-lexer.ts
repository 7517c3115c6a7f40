import { IotSqlError } from "./iot-sql-error";

/**
 * One lexical unit of a rule statement. `position` is 1-based so that error messages point at the
 * character a person would count to in the template.
 */
export type Token =
  | { readonly type: "word"; readonly text: string; readonly position: number }
  | { readonly type: "string"; readonly value: string; readonly text: string; readonly position: number }
  | { readonly type: "number"; readonly value: number; readonly text: string; readonly position: number }
  | { readonly type: "symbol"; readonly text: SymbolText; readonly position: number }
  | { readonly type: "end"; readonly text: ""; readonly position: number };

/** Punctuation and operators of the subset, longest first so `<=` wins over `<`. */
export type SymbolText = "<>" | "!=" | "<=" | ">=" | "=" | "<" | ">" | "*" | "," | "(" | ")" | "." | "[" | "]" | "-";

const SYMBOLS: readonly SymbolText[] = ["<>", "!=", "<=", ">=", "=", "<", ">", "*", ",", "(", ")", ".", "[", "]", "-"];

const isWordStart = (char: string): boolean => /[A-Za-z_$]/.test(char);
const isWordPart = (char: string): boolean => /[A-Za-z0-9_$]/.test(char);
const isDigit = (char: string): boolean => char >= "0" && char <= "9";

/** Reads a single-quoted literal; `''` and `\'` both stand for a quote inside it. */
const readString = (sql: string, start: number): { value: string; end: number } => {
  let value = "";
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index] as string;
    if (char === "\\" && index + 1 < sql.length) {
      value += sql[index + 1];
      index += 2;
    } else if (char === "'" && sql[index + 1] === "'") {
      value += "'";
      index += 2;
    } else if (char === "'") {
      return { value, end: index + 1 };
    } else {
      value += char;
      index += 1;
    }
  }
  throw new IotSqlError(`Unterminated string literal starting at position ${start + 1}: expected a closing '`, start + 1);
};

/**
 * Splits a statement into tokens, always ending with an `end` token so the parser can name "the end
 * of the statement" when something is missing.
 */
export const tokenize = (sql: string): Token[] => {
  const tokens: Token[] = [];
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] as string;
    const position = index + 1;
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === "'") {
      const { value, end } = readString(sql, index);
      tokens.push({ type: "string", value, text: sql.slice(index, end), position });
      index = end;
    } else if (isDigit(char) || (char === "." && isDigit(sql[index + 1] ?? ""))) {
      const match = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(index)) as RegExpExecArray;
      tokens.push({ type: "number", value: Number(match[0]), text: match[0], position });
      index += match[0].length;
    } else if (isWordStart(char)) {
      let end = index + 1;
      while (end < sql.length && isWordPart(sql[end] as string)) end += 1;
      tokens.push({ type: "word", text: sql.slice(index, end), position });
      index = end;
    } else {
      const symbol = SYMBOLS.find((candidate) => sql.startsWith(candidate, index));
      if (symbol === undefined) {
        throw new IotSqlError(`Unexpected character '${char}' at position ${position}`, position);
      }
      tokens.push({ type: "symbol", text: symbol, position });
      index += symbol.length;
    }
  }
  tokens.push({ type: "end", text: "", position: sql.length + 1 });
  return tokens;
};
