import { PublishCommand } from "@aws-sdk/client-iot-data-plane";
import { ResultAsync } from "neverthrow";
import type { ResponsePublisher } from "../domain/messages/message-ports";
import { classifyAwsError } from "./aws-error-classification";
import type { IotDataClientProvider } from "./iot-data-endpoint";

/** The endpoint discovery lives in iot-data-endpoint.ts (shared with the DR applier, which never publishes). */
export { type IotDataClientProvider, iotDataClientProvider } from "./iot-data-endpoint";

/** Publishes JSON payloads with IoT data `Publish` at QoS 1, as the API's responses and notifications. */
export const createIotDataPublisher = (clientFor: IotDataClientProvider): ResponsePublisher => {
  const toDomainError = classifyAwsError("AWS IoT data plane");
  return {
    publish: (topic, payload) =>
      ResultAsync.fromPromise(
        clientFor().then((client) =>
          client.send(new PublishCommand({ topic, qos: 1, payload: new TextEncoder().encode(JSON.stringify(payload)) })),
        ),
        toDomainError,
      ).map(() => undefined),
  };
};
