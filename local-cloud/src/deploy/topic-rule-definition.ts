import type { LocalFunction } from "../lambda/local-function";

/** A topic rule to run on a region's broker: from an AWS::IoT::TopicRule or a function's IoTRule event. */
export interface TopicRuleDefinition {
  readonly region: string;
  readonly ruleName: string;
  readonly sql: string;
  /** Template actions (`{ Sqs: {...} }`, `{ Lambda: {...} }`, ...), or a function invoked directly. */
  readonly actions: readonly unknown[];
  readonly errorAction?: unknown;
}

export type DirectLambdaAction = { readonly kind: "lambda"; readonly target: LocalFunction };
