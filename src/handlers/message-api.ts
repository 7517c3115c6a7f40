import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbMessageStore } from "../adapters/dynamodb-message-store";
import { createIotDataPublisher, iotDataClientProvider } from "../adapters/iot-data-publisher";
import { answerApiRequest } from "../domain/messages/answer-api-request";
import { parseApiRequest } from "../domain/messages/api-request";
import { rejectedResponse } from "../domain/messages/api-responses";
import { optionalEnv, requireEnv } from "./environment";

// Composition root: configuration and clients are built once per cold start.
const tableName = requireEnv("MESSAGES_TABLE_NAME");

const logger = new Logger({ serviceName: "message-api" });
const store = createDynamoDbMessageStore(new DynamoDBClient({}), tableName);
const publisher = createIotDataPublisher(iotDataClientProvider({ awsEndpointUrl: optionalEnv("AWS_ENDPOINT_URL"), iotDataEndpoint: optionalEnv("IOT_DATA_ENDPOINT") }));

/** What a log line may quote of an untrusted topic. */
const quoted = (value: unknown): string => JSON.stringify(value)?.slice(0, 300) ?? "undefined";

/**
 * One MQTT API request, as the topic rule `SELECT *, topic() AS topic FROM 'request/#'` delivers it.
 * Outcomes, decided here and only here: a valid request -> its answer on `response/{op}/{token}`;
 * a bad request with a usable token -> an error payload there; without one -> a log line and no
 * publish (nobody can be answered safely); the table or the publish failing -> thrown, so Lambda's
 * asynchronous invocation retries it.
 */
export const handler = async (event: unknown): Promise<void> => {
  const request = parseApiRequest(event);
  if (request.isErr()) {
    const { reason, responseTopic, uuid } = request.error;
    const topic = typeof event === "object" && event !== null ? (event as Record<string, unknown>)["topic"] : undefined;
    if (responseTopic === undefined) {
      logger.warn("request rejected without a usable token; nothing published", { reason, topic: quoted(topic) });
      return;
    }
    logger.info("request rejected", { reason, topic: quoted(topic), responseTopic });
    const published = await publisher.publish(responseTopic, rejectedResponse(reason, uuid));
    if (published.isErr()) throw new Error(`could not publish the rejection to ${responseTopic}: ${published.error.message}`);
    return;
  }
  const answer = await answerApiRequest(request.value, store).andThen((built) => publisher.publish(built.topic, built.payload).map(() => built));
  if (answer.isErr()) {
    logger.error("request failed; Lambda will retry it", { op: request.value.op, uuid: request.value.uuid, reason: answer.error.message });
    throw new Error(`${answer.error.kind}: ${answer.error.message}`);
  }
  logger.info("request answered", { op: request.value.op, uuid: request.value.uuid, responseTopic: answer.value.topic });
};
