import { randomUUID } from "node:crypto";
import { evaluateRule, type RuleMessage, type RuleResult } from "../rules/iot-sql-evaluator";
import { parseIotSql } from "../rules/iot-sql-parser";

export type { RuleMessage };

export interface CompiledTopicRule {
  /** The FROM topic filter, subscribed on the region's broker. */
  readonly from: string;
  evaluate(message: RuleMessage): RuleResult;
}

/** Parses a rule's SQL once (a bad statement fails the deployment, as CreateTopicRule would). */
export const compileTopicRule = (sql: string): CompiledTopicRule => {
  const statement = parseIotSql(sql);
  return { from: statement.from, evaluate: (message) => evaluateRule(statement, message, { now: Date.now, newId: randomUUID }) };
};
