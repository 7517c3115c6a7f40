import { IotSqlError } from "./iot-sql-ast";

export type Token =
  | { readonly type: "word"; readonly text: string; readonly position: number }
  | { readonly type: "string"; readonly text: string; readonly position: number }
  | { readonly type: "number"; readonly value: number; readonly position: number }
  | { readonly type: "symbol"; readonly text: string; readonly position: number }
  | { readonly type: "end"; readonly position: number };

const SYMBOLS = ["<>", "!=", "<=", ">=", "=", "<", ">", "(", ")", ",", ".", "*", "[", "]"];

/** Splits IoT SQL into tokens; single-quoted strings with '' as an escaped quote, as AWS IoT SQL has them. */
export const tokenize = (sql: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const char = sql[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === "'") {
      let text = "";
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new IotSqlError(`unterminated string starting at position ${i}`);
        if (sql[j] === "'" && sql[j + 1] === "'") {
          text += "'";
          j += 2;
        } else if (sql[j] === "'") {
          break;
        } else {
          text += sql[j];
          j += 1;
        }
      }
      tokens.push({ type: "string", text, position: i });
      i = j + 1;
    } else if (/[0-9]/.test(char) || (char === "-" && /[0-9]/.test(sql[i + 1] ?? ""))) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(sql.slice(i)) as RegExpExecArray;
      tokens.push({ type: "number", value: Number(match[0]), position: i });
      i += match[0].length;
    } else if (/[A-Za-z_$]/.test(char)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(sql.slice(i)) as RegExpExecArray;
      tokens.push({ type: "word", text: match[0], position: i });
      i += match[0].length;
    } else {
      const symbol = SYMBOLS.find((candidate) => sql.startsWith(candidate, i));
      if (!symbol) throw new IotSqlError(`unexpected character '${char}' at position ${i}`);
      tokens.push({ type: "symbol", text: symbol === "!=" ? "<>" : symbol, position: i });
      i += symbol.length;
    }
  }
  tokens.push({ type: "end", position: sql.length });
  return tokens;
};
