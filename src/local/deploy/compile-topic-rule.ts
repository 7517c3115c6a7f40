import { randomUUID } from "node:crypto";
import { parseIotSql } from "../iot-sql/iot-sql-parser";
import { evaluateStatement, type SqlResult } from "../iot-sql/iot-sql-evaluator";

export interface RuleMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly clientId?: string;
}

export interface CompiledTopicRule {
  /** The FROM topic filter, subscribed on the region's broker (which does the wildcard matching). */
  readonly from: string;
  evaluate(message: RuleMessage): SqlResult;
}

/** Parses a rule's SQL once (a bad statement fails the deployment, as CreateTopicRule would). */
export const compileTopicRule = (sql: string): CompiledTopicRule => {
  const statement = parseIotSql(sql);
  return { from: statement.from, evaluate: (message) => evaluateStatement(statement, message, { now: Date.now, newId: randomUUID }) };
};
