import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbMessageStore } from "../adapters/dynamodb-message-store";
import { iotDataClientProvider } from "../adapters/iot-data-client-provider";
import { createIotDataPublisher } from "../adapters/iot-data-publisher";
import { answerApiRequest } from "../domain/messages/answer-api-request";
import { parseApiRequest } from "../domain/messages/api-request";
import { rejectedResponse } from "../domain/messages/api-responses";
import { describeError } from "../domain/shared/errors";
import { optionalEnv, requireEnv } from "./environment";
import { instrumented, logger, metrics, traced } from "./observability";
import { countAccessDenied } from "./record-outcome";

// Composition root: configuration and clients are built once per cold start.
const tableName = requireEnv("MESSAGES_TABLE_NAME");

const store = createDynamoDbMessageStore(traced(new DynamoDBClient({})), tableName);
const endpoints = { awsEndpointUrl: optionalEnv("AWS_ENDPOINT_URL"), iotDataEndpoint: optionalEnv("IOT_DATA_ENDPOINT") };
const publisher = createIotDataPublisher(iotDataClientProvider(endpoints, traced));

/** The metrics the API publishes per request (EMF, dimension `service` = message-api). */
const REQUEST_METRICS = { answered: "RequestsAnswered", rejected: "RequestsRejected", retried: "RequestsRetried" } as const;
const count = (outcome: keyof typeof REQUEST_METRICS): void => void metrics.addMetric(REQUEST_METRICS[outcome], MetricUnit.Count, 1);

/** What a log line may quote of an untrusted topic. */
const quoted = (value: unknown): string => JSON.stringify(value)?.slice(0, 300) ?? "undefined";

/**
 * One MQTT API request, as the topic rule `SELECT *, topic() AS topic FROM 'request/#'` delivers it.
 * Outcomes, decided here and only here: a valid request -> its answer on `response/{op}/{token}`;
 * a bad request with a usable token -> an error payload there; without one -> a log line and no
 * publish (nobody can be answered safely); the table or the publish failing -> thrown, so Lambda's
 * asynchronous invocation retries it.
 */
export const handler = instrumented("message-api", async (event: unknown): Promise<void> => {
  const request = parseApiRequest(event);
  if (request.isErr()) {
    const { reason, responseTopic, uuid } = request.error;
    const topic = typeof event === "object" && event !== null ? (event as Record<string, unknown>)["topic"] : undefined;
    if (responseTopic === undefined) {
      count("rejected");
      logger.warn("request rejected without a usable token; nothing published", { reason, topic: quoted(topic) });
      return;
    }
    const published = await publisher.publish(responseTopic, rejectedResponse(reason, uuid));
    if (published.isErr()) {
      count("retried");
      countAccessDenied(metrics, [published.error]);
      throw new Error(`could not publish the rejection to ${responseTopic}: ${describeError(published.error)}`);
    }
    count("rejected");
    logger.info("request rejected", { reason, topic: quoted(topic), responseTopic });
    return;
  }
  const { op, uuid } = request.value;
  const answer = await answerApiRequest(request.value, store).andThen((built) =>
    publisher.publish(built.topic, built.payload).map(() => built),
  );
  if (answer.isErr()) {
    count("retried");
    countAccessDenied(metrics, [answer.error]);
    logger.error("request failed; Lambda will retry it", { op, uuid, reason: describeError(answer.error) });
    throw new Error(describeError(answer.error));
  }
  count("answered");
  logger.info("request answered", { op, uuid, responseTopic: answer.value.topic });
});
