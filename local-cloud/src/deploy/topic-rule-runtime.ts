import { randomUUID } from "node:crypto";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { FaultInjector } from "../faults/fault-injector";
import { deliverWithFaults } from "../faults/faulty-delivery";
import type { LocalFunction } from "../lambda/local-function";
import type { BrokerHub } from "../mqtt/broker-hub";
import { compileTopicRule, type RuleMessage } from "./compile-topic-rule";
import type { ActivityLog, Running } from "./deployed-function";
import type { RegionClients } from "./region-clients";
import type { DirectLambdaAction, TopicRuleDefinition } from "./topic-rule-definition";

type TemplateAction = Record<string, Record<string, unknown>>;
type Action = { readonly name: string; readonly resource: string; run(output: unknown, message: RuleMessage): Promise<void> };

const asText = (output: unknown): string =>
  Buffer.isBuffer(output) ? output.toString("utf8") : typeof output === "string" ? output : JSON.stringify(output);
const asBuffer = (output: unknown): Buffer => (Buffer.isBuffer(output) ? output : Buffer.from(asText(output)));

/** `${topic(2)}`, `${topic()}`, `${clientid()}`, `${newuuid()}`, `${timestamp()}` and `${field.path}` in a republish topic. */
const substitute = (template: string, output: unknown, message: RuleMessage): string =>
  template.replace(/\$\{([^}]+)\}/g, (_match, expression: string) => {
    const trimmed = expression.trim();
    const topicSegment = /^topic\((\d*)\)$/.exec(trimmed);
    if (topicSegment) return topicSegment[1] ? (message.topic.split("/")[Number(topicSegment[1]) - 1] ?? "") : message.topic;
    if (trimmed === "clientid()") return message.clientId ?? "";
    if (trimmed === "newuuid()") return randomUUID();
    if (trimmed === "timestamp()") return String(Date.now());
    const value = trimmed
      .split(".")
      .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), output);
    return value === undefined ? "" : String(value);
  });

/** Lambda's asynchronous invocation: two retries after a function error, then the failure is reported. */
const invokeAsync = async (fn: LocalFunction, event: unknown, log: ActivityLog): Promise<void> => {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const outcome = await fn.invoke(event);
    if (outcome.ok) return;
    log(
      `${fn.options.functionName}@${fn.options.region}: async invocation failed (attempt ${attempt + 1} of 3): ${outcome.error.name}: ${outcome.error.message}`,
    );
    // unref: a retry still waiting when the local cloud stops must not keep the process alive.
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)).unref());
  }
};

/**
 * Runs AWS IoT topic rules on the local brokers: each rule subscribes to its FROM filter, evaluates its
 * SQL on every message, and runs its actions (SQS, Lambda, Republish, DynamoDBv2). An action that fails
 * runs the rule's error action with the message AWS IoT sends there, so nothing is dropped silently.
 */
export const createTopicRuleRuntime = (deps: {
  readonly hub: BrokerHub;
  readonly clientsFor: (region: string) => RegionClients;
  readonly functionByArn: (arn: string) => LocalFunction | undefined;
  readonly log: ActivityLog;
  /** Duplicates and delays the messages rules receive, as its rules say. */
  readonly faults?: FaultInjector;
}) => {
  const toAction = (definition: unknown, region: string): Action => {
    if ((definition as DirectLambdaAction).kind === "lambda") {
      const target = (definition as DirectLambdaAction).target;
      return {
        name: "LambdaAction",
        resource: target.arn,
        run: async (output) => void invokeAsync(target, Buffer.isBuffer(output) ? output.toString("base64") : output, deps.log),
      };
    }
    const [type, props] = Object.entries(definition as TemplateAction)[0] ?? [];
    const clients = deps.clientsFor(region);
    switch (type) {
      case "Sqs":
        return {
          name: "SqsAction",
          resource: String(props?.["QueueUrl"]),
          run: async (output) => {
            const body =
              props?.["UseBase64"] === true || props?.["UseBase64"] === "true" ? asBuffer(output).toString("base64") : asText(output);
            await clients.sqs.send(new SendMessageCommand({ QueueUrl: String(props?.["QueueUrl"]), MessageBody: body }));
          },
        };
      case "Lambda": {
        const arn = String(props?.["FunctionArn"]);
        return {
          name: "LambdaAction",
          resource: arn,
          run: async (output) => {
            const target = deps.functionByArn(arn);
            if (!target) throw new Error(`function ${arn} does not exist`);
            void invokeAsync(target, Buffer.isBuffer(output) ? output.toString("base64") : output, deps.log);
          },
        };
      }
      case "Republish":
        return {
          name: "RepublishAction",
          resource: String(props?.["Topic"]),
          run: async (output, message) =>
            deps.hub.publish(
              region,
              substitute(String(props?.["Topic"]), output, message),
              asBuffer(output),
              Number(props?.["Qos"] ?? 0) === 1 ? 1 : 0,
            ),
        };
      case "DynamoDBv2": {
        const tableName = String((props?.["PutItemInput"] as Record<string, unknown> | undefined)?.["TableName"]);
        return {
          name: "DynamoDBv2Action",
          resource: tableName,
          run: async (output) => {
            if (Buffer.isBuffer(output) || typeof output !== "object" || output === null)
              throw new Error("DynamoDBv2 needs a JSON object payload");
            await clients.dynamodb.send(
              new PutItemCommand({ TableName: tableName, Item: marshall(output, { removeUndefinedValues: true }) }),
            );
          },
        };
      }
      default:
        throw new Error(
          `topic rule action ${type ?? "(empty)"} is not supported by the local cloud (Sqs, Lambda, Republish, DynamoDBv2 are)`,
        );
    }
  };

  return {
    register: (rule: TopicRuleDefinition): Running => {
      const compiled = compileTopicRule(rule.sql);
      const actions = rule.actions.map((action) => toAction(action, rule.region));
      const errorAction = rule.errorAction ? toAction(rule.errorAction, rule.region) : undefined;
      const run = async (topic: string, payload: Buffer): Promise<void> => {
        const message: RuleMessage = { topic, payload };
        const evaluated = compiled.evaluate(message);
        if (!evaluated.matched) return;
        const failures: { failedAction: string; failedResource: string; errorMessage: string }[] = [];
        await Promise.all(
          actions.map((action) =>
            action.run(evaluated.output, message).catch((error: unknown) => {
              failures.push({
                failedAction: action.name,
                failedResource: action.resource,
                errorMessage: error instanceof Error ? error.message : String(error),
              });
            }),
          ),
        );
        if (failures.length === 0) return;
        deps.log(
          `rule ${rule.ruleName}@${rule.region}: ${failures.map((failure) => `${failure.failedAction} failed: ${failure.errorMessage}`).join("; ")}`,
        );
        if (!errorAction) return;
        const errorMessage = {
          ruleName: rule.ruleName,
          topic,
          cloudwatchTraceId: randomUUID(),
          clientId: "",
          base64OriginalPayload: payload.toString("base64"),
          failures,
        };
        await errorAction
          .run(errorMessage, message)
          .catch((error: unknown) => deps.log(`rule ${rule.ruleName}@${rule.region}: error action failed too: ${String(error)}`));
      };
      const unsubscribe = deps.hub.subscribe(rule.region, compiled.from, (topic, payload) =>
        deliverWithFaults(
          deps.faults,
          "topic-rule",
          () => run(topic, payload),
          (error) => deps.log(`rule ${rule.ruleName}@${rule.region}: delayed message failed: ${String(error)}`),
        ),
      );
      return { stop: async () => unsubscribe() };
    },
  };
};
