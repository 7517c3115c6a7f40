import { compilePatternList, type PatternList, type PolicyVariables } from "./policy-patterns";

/**
 * AWS IoT policy evaluation for one principal: explicit Deny beats Allow, and what no statement allows
 * is denied. Pure, so the brokers' worker thread runs it per MQTT packet and unit tests cover it alone.
 */

/** `Action` / `NotAction` or `Resource` / `NotResource` of a statement. */
export interface StatementTarget {
  readonly not: boolean;
  readonly patterns: readonly string[];
}

export interface PolicyStatement {
  /** Position in the document's Statement list (0-based), to name it in log lines. */
  readonly index: number;
  readonly effect: "Allow" | "Deny";
  readonly action: StatementTarget;
  readonly resource: StatementTarget;
  /** The local cloud does not evaluate Condition blocks; a statement with one never applies. */
  readonly hasCondition: boolean;
}

export interface ParsedPolicy {
  readonly policyName: string;
  readonly statements: readonly PolicyStatement[];
}

export type PolicyDecision =
  | { readonly effect: "Allow"; readonly policyName: string; readonly statement: number }
  | { readonly effect: "ExplicitDeny"; readonly policyName: string; readonly statement: number }
  /** Nothing allows it; `notes` say which statements might have, had the local cloud been able to use them. */
  | { readonly effect: "ImplicitDeny"; readonly notes: readonly string[] };

const strings = (value: unknown): string[] | undefined => {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  return undefined;
};

const target = (statement: Record<string, unknown>, key: "Action" | "Resource"): StatementTarget | undefined => {
  const patterns = strings(statement[key]);
  if (patterns) return { not: false, patterns };
  const excluded = strings(statement[`Not${key}`]);
  return excluded ? { not: true, patterns: excluded } : undefined;
};

/**
 * Reads a policy document that CreatePolicy accepted (policy-document.ts validated it). A statement it
 * cannot read (which validation should have refused) is left out, so it grants nothing.
 */
export const parsePolicyDocument = (policyName: string, document: string): ParsedPolicy => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return { policyName, statements: [] };
  }
  const raw = (parsed as { Statement?: unknown } | null)?.Statement;
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements: PolicyStatement[] = [];
  list.forEach((item, index) => {
    if (typeof item !== "object" || item === null) return;
    const statement = item as Record<string, unknown>;
    const action = target(statement, "Action");
    const resource = target(statement, "Resource");
    if ((statement.Effect !== "Allow" && statement.Effect !== "Deny") || !action || !resource) return;
    statements.push({ index, effect: statement.Effect, action, resource, hasCondition: statement.Condition !== undefined });
  });
  return { policyName, statements };
};

interface CompiledStatement {
  readonly policyName: string;
  readonly statement: PolicyStatement;
  readonly actions: PatternList;
  readonly resources: PatternList;
}

/** The policies of one connection with its variables substituted, ready to answer requests. */
export interface CompiledPolicies {
  readonly policyNames: readonly string[];
  evaluate(action: string, resource: string): PolicyDecision;
}

const applies = (list: PatternList, not: boolean, value: string): boolean => (not ? !list.matches(value) : list.matches(value));

const describe = (compiled: CompiledStatement): string => `statement ${compiled.statement.index} of policy ${compiled.policyName}`;

/**
 * Substitutes the variables into every statement once (they are fixed for a connection). Actions match
 * case-insensitively (`iot:publish` is `iot:Publish`), resources case-sensitively, as in AWS.
 */
export const compilePolicies = (policies: readonly ParsedPolicy[], variables: PolicyVariables): CompiledPolicies => {
  const compiled: CompiledStatement[] = policies.flatMap((policy) =>
    policy.statements.map((statement) => ({
      policyName: policy.policyName,
      statement,
      actions: compilePatternList(statement.action.patterns, variables, true),
      resources: compilePatternList(statement.resource.patterns, variables),
    })),
  );
  return {
    policyNames: policies.map((policy) => policy.policyName),
    evaluate: (action, resource) => {
      let allow: CompiledStatement | undefined;
      const notes: string[] = [];
      for (const each of compiled) {
        if (!applies(each.actions, each.statement.action.not, action)) continue;
        const resourceApplies = applies(each.resources, each.statement.resource.not, resource);
        if (each.statement.hasCondition) {
          if (resourceApplies) notes.push(`${describe(each)} has a Condition, which the local cloud does not evaluate (skipped)`);
          continue;
        }
        if (resourceApplies) {
          if (each.statement.effect === "Deny") {
            return { effect: "ExplicitDeny", policyName: each.policyName, statement: each.statement.index };
          }
          allow ??= each;
        } else if (each.statement.effect === "Allow" && each.resources.unresolved.length > 0) {
          notes.push(`${describe(each)} has unresolved policy variables in ${each.resources.unresolved.join(", ")}`);
        }
      }
      if (allow) return { effect: "Allow", policyName: allow.policyName, statement: allow.statement.index };
      return { effect: "ImplicitDeny", notes };
    },
  };
};
