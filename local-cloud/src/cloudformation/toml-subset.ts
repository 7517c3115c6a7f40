/**
 * A parser for the small part of TOML that `samconfig.toml` uses, because Node has no TOML parser
 * and the local cloud must read the very file that `sam deploy` reads (no second copy of the
 * per-region settings to drift from it).
 *
 * Supported: `# comments`, tables `[a.b.c]` (bare or "quoted" key parts), `key = value` where the
 * value is a basic string ("..." with escapes), a literal string ('...'), an integer or float,
 * `true`/`false`, or a one-line array of those. Anything else is an error naming the line, never a
 * silent guess.
 */

/** A TOML value of the supported subset. */
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;

/** A TOML table: keys to values or nested tables. */
export interface TomlTable {
  [key: string]: TomlValue;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

class TomlCursor {
  position = 0;
  constructor(
    readonly text: string,
    readonly lineNumber: number,
  ) {}

  fail(message: string): never {
    throw new Error(`samconfig TOML line ${this.lineNumber}: ${message}: ${this.text.trim()}`);
  }

  skipSpaces(): void {
    while (this.text[this.position] === " " || this.text[this.position] === "\t") this.position += 1;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  /** After a value: only spaces and an optional comment may follow. */
  expectEnd(): void {
    this.skipSpaces();
    const next = this.peek();
    if (next !== undefined && next !== "#") this.fail(`unexpected "${next}"`);
  }
}

const ESCAPES: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\" };

const readBasicString = (cursor: TomlCursor): string => {
  cursor.position += 1;
  let result = "";
  for (;;) {
    const char = cursor.peek();
    if (char === undefined) cursor.fail("unterminated string");
    cursor.position += 1;
    if (char === '"') return result;
    if (char !== "\\") {
      result += char;
      continue;
    }
    const escaped = cursor.peek() ?? cursor.fail("unterminated escape");
    cursor.position += 1;
    if (escaped === "u" || escaped === "U") {
      const length = escaped === "u" ? 4 : 8;
      const hex = cursor.text.slice(cursor.position, cursor.position + length);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== length) cursor.fail("bad unicode escape");
      result += String.fromCodePoint(parseInt(hex, 16));
      cursor.position += length;
      continue;
    }
    const replacement = ESCAPES[escaped];
    if (replacement === undefined) cursor.fail(`unknown escape \\${escaped}`);
    result += replacement;
  }
};

const readLiteralString = (cursor: TomlCursor): string => {
  const end = cursor.text.indexOf("'", cursor.position + 1);
  if (end < 0) cursor.fail("unterminated string");
  const result = cursor.text.slice(cursor.position + 1, end);
  cursor.position = end + 1;
  return result;
};

const readKeyPart = (cursor: TomlCursor): string => {
  cursor.skipSpaces();
  const char = cursor.peek();
  if (char === '"') return readBasicString(cursor);
  if (char === "'") return readLiteralString(cursor);
  const match = /^[A-Za-z0-9_-]+/.exec(cursor.text.slice(cursor.position));
  if (!match || !BARE_KEY.test(match[0])) cursor.fail("expected a key");
  cursor.position += match[0].length;
  return match[0];
};

/** Reads `a.b."c d"` up to (not including) the terminator. */
const readDottedKey = (cursor: TomlCursor): string[] => {
  const parts = [readKeyPart(cursor)];
  for (;;) {
    cursor.skipSpaces();
    if (cursor.peek() !== ".") return parts;
    cursor.position += 1;
    parts.push(readKeyPart(cursor));
  }
};

const readScalar = (cursor: TomlCursor): TomlValue => {
  const match = /^[^\s,\]#]+/.exec(cursor.text.slice(cursor.position));
  if (!match) cursor.fail("expected a value");
  const token = match[0];
  cursor.position += token.length;
  if (token === "true") return true;
  if (token === "false") return false;
  if (/^[+-]?\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?$/.test(token)) return Number(token.replace(/_/g, ""));
  return cursor.fail(`unsupported value "${token}"`);
};

const readValue = (cursor: TomlCursor): TomlValue => {
  cursor.skipSpaces();
  const char = cursor.peek();
  if (char === '"') {
    if (cursor.text.startsWith('"""', cursor.position)) cursor.fail("multi-line strings are not supported");
    return readBasicString(cursor);
  }
  if (char === "'") return readLiteralString(cursor);
  if (char === "[") return readArray(cursor);
  if (char === "{") cursor.fail("inline tables are not supported");
  return readScalar(cursor);
};

const readArray = (cursor: TomlCursor): TomlValue[] => {
  cursor.position += 1;
  const items: TomlValue[] = [];
  for (;;) {
    cursor.skipSpaces();
    if (cursor.peek() === undefined || cursor.peek() === "#") cursor.fail("unterminated array (arrays must fit on one line)");
    if (cursor.peek() === "]") {
      cursor.position += 1;
      return items;
    }
    items.push(readValue(cursor));
    cursor.skipSpaces();
    const next = cursor.peek();
    if (next === ",") cursor.position += 1;
    else if (next !== "]") cursor.fail("expected , or ] in array (arrays must fit on one line)");
  }
};

const isTable = (value: TomlValue | undefined): value is TomlTable => typeof value === "object" && value !== null && !Array.isArray(value);

const tableAt = (root: TomlTable, path: readonly string[], cursor: TomlCursor): TomlTable => {
  let table = root;
  for (const part of path) {
    const existing = table[part];
    if (existing === undefined) {
      const created: TomlTable = {};
      table[part] = created;
      table = created;
    } else if (isTable(existing)) {
      table = existing;
    } else {
      cursor.fail(`"${part}" is already a value, not a table`);
    }
  }
  return table;
};

/** Parses TOML text of the supported subset into nested plain objects. */
export const parseTomlSubset = (text: string): TomlTable => {
  const root: TomlTable = {};
  const defined = new Set<string>();
  let current = root;
  text.split(/\r?\n/).forEach((line, index) => {
    const cursor = new TomlCursor(line, index + 1);
    cursor.skipSpaces();
    const first = cursor.peek();
    if (first === undefined || first === "#") return;
    if (first === "[") {
      if (line.trim().startsWith("[[")) cursor.fail("arrays of tables are not supported");
      cursor.position += 1;
      const path = readDottedKey(cursor);
      if (cursor.peek() !== "]") cursor.fail("expected ]");
      cursor.position += 1;
      cursor.expectEnd();
      const name = JSON.stringify(path);
      if (defined.has(name)) cursor.fail("table defined twice");
      defined.add(name);
      current = tableAt(root, path, cursor);
      return;
    }
    const key = readDottedKey(cursor);
    if (cursor.peek() !== "=") cursor.fail("expected =");
    cursor.position += 1;
    const value = readValue(cursor);
    cursor.expectEnd();
    const last = key[key.length - 1] as string;
    const target = tableAt(current, key.slice(0, -1), cursor);
    if (last in target) cursor.fail(`key "${last}" defined twice`);
    target[last] = value;
  });
  return root;
};
