import type { ResolvedResource } from "../../../src/cloudformation/resolve-template";
import { describeSamFunction, functionEventSources, parseScheduleExpression } from "../../../src/cloudformation/sam-function-events";
import { locateHandler } from "../../../src/cloudformation/sam-function-handler";

const fn = (properties: Record<string, unknown>, metadata: Record<string, unknown> = {}): ResolvedResource => ({
  logicalId: "Fn",
  type: "AWS::Serverless::Function",
  properties,
  metadata,
});

const esbuild = {
  BuildMethod: "esbuild",
  BuildProperties: { EntryPoints: ["src/handlers/capture-registry-event.ts", "./src/handlers/apply.ts"] },
};

describe("describeSamFunction", () => {
  it("finds the handler's entry point and applies Lambda's defaults", () => {
    expect(describeSamFunction(fn({ Handler: "capture-registry-event.handler" }, esbuild))).toEqual({
      logicalId: "Fn",
      handler: { entryPoint: "src/handlers/capture-registry-event.ts", exportName: "handler" },
      runtime: undefined,
      timeoutSeconds: 3,
      memorySizeMb: 128,
      environment: {},
      events: [],
    });
  });

  it("reads runtime, timeout, memory and environment as strings", () => {
    const described = describeSamFunction(
      fn(
        {
          Handler: "apply.main",
          Runtime: "nodejs22.x",
          Timeout: 30,
          MemorySize: "256",
          Environment: { Variables: { A: "x", N: 30, B: true } },
        },
        esbuild,
      ),
    );
    expect(described).toMatchObject({
      handler: { entryPoint: "src/handlers/apply.ts", exportName: "main" },
      runtime: "nodejs22.x",
      timeoutSeconds: 30,
      memorySizeMb: 256,
      environment: { A: "x", N: "30", B: "true" },
    });
  });

  it.each([
    [fn({ Handler: "missing.handler" }, esbuild), /Handler "missing.handler" must match exactly one of EntryPoints/],
    [fn({ Handler: "nohandler" }, esbuild), /Handler must be "<file>.<export>"/],
    [fn({ Handler: "apply.main" }), /EntryPoints must list/],
    [fn({ Handler: "apply.main", Timeout: 901 }, esbuild), /Fn.Timeout: must be an integer from 1 to 900/],
    [fn({ Handler: "apply.main", Environment: { Variables: { A: ["x"] } } }, esbuild), /Environment.Variables.A: must be a string/],
    [{ ...fn({}), type: "AWS::SQS::Queue" }, /Fn is a AWS::SQS::Queue, not an AWS::Serverless::Function/],
  ])("rejects %#", (resource, message) => {
    expect(() => describeSamFunction(resource)).toThrow(message);
  });

  it("matches a handler in a sub-folder and refuses an ambiguous one", () => {
    expect(locateHandler("F", "handlers/apply.run", { BuildProperties: { EntryPoints: ["src/handlers/apply.ts"] } })).toEqual({
      entryPoint: "src/handlers/apply.ts",
      exportName: "run",
    });
    expect(() => locateHandler("F", "apply.run", { BuildProperties: { EntryPoints: ["a/apply.ts", "b/apply.ts"] } })).toThrow("matched 2");
  });
});

describe("functionEventSources", () => {
  it("types SQS, DynamoDB, IoTRule and Schedule sources with their defaults", () => {
    const events = functionEventSources(
      fn({
        Events: {
          Queue: { Type: "SQS", Properties: { Queue: "arn:queue" } },
          Tuned: {
            Type: "SQS",
            Properties: {
              Queue: "arn:queue2",
              BatchSize: 25,
              MaximumBatchingWindowInSeconds: "1",
              FunctionResponseTypes: ["ReportBatchItemFailures"],
              Enabled: false,
              FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["thing"]}}' }] },
            },
          },
          Stream: {
            Type: "DynamoDB",
            Properties: {
              Stream: "arn:stream",
              StartingPosition: "TRIM_HORIZON",
              MaximumRetryAttempts: 3,
              BisectBatchOnFunctionError: true,
              DestinationConfig: { OnFailure: { Destination: "arn:dlq" } },
              ParallelizationFactor: 4,
            },
          },
          Rule: { Type: "IoTRule", Properties: { Sql: "SELECT * FROM 'a/#'", AwsIotSqlVersion: "2016-03-23" } },
          OldRule: { Type: "IoTRule", Properties: { Sql: "SELECT * FROM 'b'" } },
          Tick: { Type: "Schedule", Properties: { Schedule: "rate(5 minutes)" } },
          Nightly: { Type: "Schedule", Properties: { Schedule: "cron(0 3 * * ? *)", State: "DISABLED", Input: "{}" } },
        },
      }),
    );
    expect(events).toEqual([
      {
        kind: "SQS",
        name: "Queue",
        queueArn: "arn:queue",
        batchSize: 10,
        maximumBatchingWindowInSeconds: 0,
        functionResponseTypes: [],
        enabled: true,
        filterPatterns: [],
        maximumConcurrency: undefined,
      },
      {
        kind: "SQS",
        name: "Tuned",
        queueArn: "arn:queue2",
        batchSize: 25,
        maximumBatchingWindowInSeconds: 1,
        functionResponseTypes: ["ReportBatchItemFailures"],
        enabled: false,
        filterPatterns: ['{"body":{"kind":["thing"]}}'],
        maximumConcurrency: undefined,
      },
      {
        kind: "DynamoDB",
        name: "Stream",
        streamArn: "arn:stream",
        startingPosition: "TRIM_HORIZON",
        batchSize: 100,
        maximumBatchingWindowInSeconds: 0,
        maximumRetryAttempts: 3,
        parallelizationFactor: 4,
        bisectBatchOnFunctionError: true,
        onFailureDestination: "arn:dlq",
        functionResponseTypes: [],
        enabled: true,
        filterPatterns: [],
      },
      { kind: "IoTRule", name: "Rule", sql: "SELECT * FROM 'a/#'", awsIotSqlVersion: "2016-03-23" },
      { kind: "IoTRule", name: "OldRule", sql: "SELECT * FROM 'b'", awsIotSqlVersion: "2015-10-08" },
      {
        kind: "Schedule",
        name: "Tick",
        expression: "rate(5 minutes)",
        schedule: { kind: "rate", everySeconds: 300 },
        enabled: true,
        input: undefined,
      },
      {
        kind: "Schedule",
        name: "Nightly",
        expression: "cron(0 3 * * ? *)",
        schedule: { kind: "cron", fields: ["0", "3", "*", "*", "?", "*"] },
        enabled: false,
        input: "{}",
      },
    ]);
  });

  it.each([
    [{ E: { Type: "Api", Properties: {} } }, /Fn.Events.E.Type: event type "Api" is not supported/],
    [{ E: { Type: "SQS", Properties: {} } }, /Fn.Events.E.Properties.Queue: must be a non-empty string/],
    [{ E: { Type: "SQS", Properties: { Queue: "q", BatchSize: 0 } } }, /BatchSize: must be an integer from 1 to 10000/],
    [{ E: { Type: "SQS", Properties: { Queue: "q", Enabled: "yes" } } }, /Enabled: must be true or false/],
    [
      { E: { Type: "DynamoDB", Properties: { Stream: "s", StartingPosition: "NOW" } } },
      /StartingPosition: must be one of TRIM_HORIZON, LATEST, AT_TIMESTAMP/,
    ],
    [
      { E: { Type: "DynamoDB", Properties: { Stream: "s", StartingPosition: "LATEST", DestinationConfig: {} } } },
      /DestinationConfig: must have OnFailure/,
    ],
    [{ E: { Type: "SQS", Properties: { Queue: "q", FilterCriteria: {} } } }, /FilterCriteria: must have a Filters list/],
  ])("rejects %j", (events, message) => {
    expect(() => functionEventSources(fn({ Events: events }))).toThrow(message);
  });
});

describe("parseScheduleExpression", () => {
  it.each([
    ["rate(1 minute)", 60],
    ["rate(2 hours)", 7200],
    ["rate(1 day)", 86400],
  ])("reads %s", (expression, seconds) => {
    expect(parseScheduleExpression(expression)).toEqual({ kind: "rate", everySeconds: seconds });
  });

  it.each(["rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(5 weeks)", "cron(0 3 * * ?)", "every 5 minutes"])(
    "rejects %s",
    (expression) => {
      expect(() => parseScheduleExpression(expression)).toThrow(expression);
    },
  );
});
