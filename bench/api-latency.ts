import { join } from "node:path";
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import {
  type CloudFormationTemplate,
  connectMqttApiClient,
  type MqttApiClient,
  messagesQueueUrl,
  readTemplate,
  sampleMessage,
  startLocalCloud,
} from "local-cloud";
import { projectRoot, REGION } from "./functions";
import type { OutputSink } from "./output-sink";
import { atMost, type BenchRow, compare } from "./results";
import { percentile } from "./stats";

const WARMUP = 20;

/**
 * template.yaml as `sam deploy --parameter-overrides LogLevel=WARN` would deploy it, plus the no-op
 * baseline function on its own topic rule (`bench/#`, which the API's `request/#` rule does not see).
 */
const benchTemplate = (): CloudFormationTemplate => {
  const template = readTemplate(join(projectRoot, "template.yaml"));
  const logLevel = template.Parameters?.["LogLevel"];
  if (!logLevel) throw new Error("template.yaml has no LogLevel parameter");
  return {
    ...template,
    Parameters: { ...template.Parameters, LogLevel: { ...logLevel, Default: "WARN" } },
    Resources: {
      ...template.Resources,
      BenchNoopApiFunction: {
        Type: "AWS::Serverless::Function",
        Metadata: {
          BuildMethod: "esbuild",
          BuildProperties: { Minify: true, Target: "node22", EntryPoints: ["bench/baselines/noop-api.ts"] },
        },
        Properties: {
          CodeUri: "./",
          Handler: "noop-api.handler",
          Events: {
            Requests: { Type: "IoTRule", Properties: { AwsIotSqlVersion: "2016-03-23", Sql: "SELECT *, topic() AS topic FROM 'bench/#'" } },
          },
        },
      },
    },
  };
};

/** `requests` round trips spread over `clients`, each client sending its share one after another. */
const roundTrips = async (clients: readonly MqttApiClient[], topics: readonly string[], requests: number): Promise<number[]> => {
  const samples: number[] = [];
  await Promise.all(
    clients.map(async (client, c) => {
      for (let n = c; n < requests; n += clients.length)
        samples.push((await client.request(topics[n % topics.length] as string)).elapsedMs);
    }),
  );
  return samples;
};

/**
 * MQTT request -> response through the deployed message API (broker -> topic rule -> function ->
 * DynamoDB Local -> IoT data Publish -> broker), against the same path through a no-op function.
 */
export const benchApiLatency = async (options: { requests: number; clients: number; sink: OutputSink }): Promise<BenchRow[]> => {
  const activity: string[] = [];
  const cloud = await startLocalCloud({
    projectRoot,
    port: 0,
    mqttBasePort: 0,
    log: (line) => activity.push(line),
    configEnvs: [`${REGION}-config`],
    template: benchTemplate(),
    functionOutput: options.sink.write,
  });
  const clients: MqttApiClient[] = [];
  try {
    const broker = `mqtt://127.0.0.1:${cloud.aws.hub.portFor(REGION)}`;
    for (let c = 0; c < options.clients; c += 1) clients.push(await connectMqttApiClient(broker, `benchThing${c}`));
    const first = clients[0] as MqttApiClient;
    await first.subscribe("notification/benchThing0");
    const notified = first.nextMessageOn("notification/benchThing0", 30_000);
    await cloud.clients(REGION).sqs.send(
      new SendMessageCommand({
        QueueUrl: messagesQueueUrl(cloud, REGION),
        MessageBody: JSON.stringify(sampleMessage("benchThing0", 1_767_225_600)),
      }),
    );
    const messageId = String((await notified)["messageId"]);
    const api = ["request/query/benchThing0", `request/get/benchThing0/${messageId}`, `request/next/benchThing0/${messageId}`];
    const noop = ["bench/noop/benchThing0"];
    await roundTrips([first], api, WARMUP);
    await roundTrips([first], noop, WARMUP);
    const measure = async (label: string, pool: readonly MqttApiClient[]): Promise<BenchRow[]> => {
      const ours = await roundTrips(pool, api, options.requests);
      const bare = await roundTrips(pool, noop, options.requests);
      const figure = `API latency, ${label}`;
      const against = "no-op function, same broker and rule path";
      return [
        compare({
          figure: `${figure}: p50`,
          unit: "ms",
          value: percentile(ours, 50),
          against,
          reference: percentile(bare, 50),
          target: atMost(2),
        }),
        compare({ figure: `${figure}: p99`, unit: "ms", value: percentile(ours, 99), against, reference: percentile(bare, 99) }),
      ];
    };
    // Where the API's time goes beyond the bare round trip: its reads, timed straight from this process.
    const table = cloud.regions.get(REGION)?.resources.get("MessagesTable")?.physicalId ?? "";
    const reads: number[] = [];
    for (let n = 0; n < options.requests; n += 1) {
      const started = performance.now();
      await cloud.clients(REGION).dynamodb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "#uuid = :uuid",
          ExpressionAttributeNames: { "#uuid": "uuid" },
          ExpressionAttributeValues: { ":uuid": { S: "benchThing0" } },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      reads.push(performance.now() - started);
    }
    const bareP50 = percentile(await roundTrips([first], noop, Math.min(options.requests, 200)), 50);
    return [
      compare({
        figure: "DynamoDB Local Query from the bench process: p50",
        unit: "ms",
        value: percentile(reads, 50),
        against: "no-op function round trip",
        reference: bareP50,
      }),
      ...(await measure(`${options.requests} sequential requests`, [first])),
      ...(await measure(`${options.requests} requests from ${options.clients} concurrent clients`, clients)),
    ];
  } finally {
    for (const client of clients) await client.close();
    await cloud.close();
  }
};
