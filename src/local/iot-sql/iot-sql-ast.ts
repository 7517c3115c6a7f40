/** The AST of the AWS IoT SQL subset the local rules engine runs (SQL version 2016-03-23). */
export type Expression =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "path"; readonly segments: readonly (string | number)[] }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expression[] }
  | { readonly kind: "not"; readonly operand: Expression }
  | { readonly kind: "logical"; readonly operator: "AND" | "OR"; readonly left: Expression; readonly right: Expression }
  | { readonly kind: "compare"; readonly operator: "=" | "<>" | "<" | "<=" | ">" | ">="; readonly left: Expression; readonly right: Expression }
  | { readonly kind: "isNull"; readonly operand: Expression; readonly negated: boolean };

export type SelectItem = { readonly kind: "all" } | { readonly kind: "expression"; readonly expression: Expression; readonly alias: string };

export interface SqlStatement {
  readonly select: readonly SelectItem[];
  /** The MQTT topic filter of the FROM clause. */
  readonly from: string;
  readonly where?: Expression;
}

/** A parse error, reported like AWS IoT's SqlParseException: where it happened and what was expected. */
export class IotSqlError extends Error {
  override readonly name = "SqlParseException";
}
