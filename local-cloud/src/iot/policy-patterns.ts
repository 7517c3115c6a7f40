/**
 * IoT policy `Action` and `Resource` strings as matchers. Pure: no I/O, no AWS SDK; the MQTT brokers'
 * worker thread runs this code too (bundled), so it imports nothing outside this folder's pure modules.
 */

/**
 * The policy variables of one request, by name without `${}` (`iot:ClientId`, ...). A variable that is
 * absent or undefined cannot be resolved.
 */
export type PolicyVariables = Readonly<Record<string, string | undefined>>;

/** The literal-character escapes IAM defines: `${*}`, `${?}` and `${$}` stand for `*`, `?` and `$`. */
const ESCAPES: Readonly<Record<string, string>> = { "*": "*", "?": "?", $: "$" };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * Compiles one pattern: `*` matches any run of characters (`/` included), `?` exactly one, everything
 * else itself, so MQTT's `+` and `#` in a `topicfilter/` resource are plain characters, as in AWS IoT.
 * `${name}` is replaced by the variable's value, taken literally (a client id with a `*` in it is no
 * wildcard). Returns undefined when the pattern uses a variable that cannot be resolved: AWS leaves such
 * a variable unresolved and the entry then matches no request.
 */
export const compilePolicyPattern = (pattern: string, variables: PolicyVariables, ignoreCase = false): RegExp | undefined => {
  let source = "";
  let index = 0;
  while (index < pattern.length) {
    const char = pattern.charAt(index);
    const end = char === "$" && pattern.charAt(index + 1) === "{" ? pattern.indexOf("}", index + 2) : -1;
    if (end >= 0) {
      const name = pattern.slice(index + 2, end);
      const value = ESCAPES[name] ?? (Object.hasOwn(variables, name) ? variables[name] : undefined);
      if (value === undefined) return undefined;
      source += escapeRegExp(value);
      index = end + 1;
      continue;
    }
    source += char === "*" ? ".*" : char === "?" ? "." : escapeRegExp(char);
    index += 1;
  }
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
};

/** Several patterns (a statement's Action or Resource list): matches when any resolvable one matches. */
export interface PatternList {
  matches(value: string): boolean;
  /** Entries left out because a variable in them cannot be resolved, for the explanation of a denial. */
  readonly unresolved: readonly string[];
}

export const compilePatternList = (patterns: readonly string[], variables: PolicyVariables, ignoreCase = false): PatternList => {
  const compiled: RegExp[] = [];
  const unresolved: string[] = [];
  for (const pattern of patterns) {
    const regExp = compilePolicyPattern(pattern, variables, ignoreCase);
    if (regExp) compiled.push(regExp);
    else unresolved.push(pattern);
  }
  return { matches: (value) => compiled.some((regExp) => regExp.test(value)), unresolved };
};
