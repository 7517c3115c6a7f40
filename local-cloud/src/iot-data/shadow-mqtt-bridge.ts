import type { BrokerHub } from "../mqtt/broker-hub";
import { clientTokenOf, type ShadowOperations } from "./shadow-operations";
import { parseShadowRequestTopic, SHADOW_REQUEST_FILTERS, shadowTopicPrefix } from "./shadow-topics";

/**
 * Lets devices use shadows over MQTT as they do with AWS IoT: a publish to `.../shadow[/name/n]/update`,
 * `/get` or `/delete` in any region is processed by the same shadow operations as the HTTPS API, and
 * answered on `/accepted` or `/rejected`. Returns the function that stops listening.
 */
export const bridgeShadowRequestsFromMqtt = (hub: BrokerHub, operations: ShadowOperations): (() => void) => {
  const handle = async (topic: string, payload: Buffer, region: string): Promise<void> => {
    const request = parseShadowRequestTopic(topic);
    if (!request) return;
    const { address, operation } = request;
    const prefix = shadowTopicPrefix(address);
    const clientToken = clientTokenOf(payload);
    const respond = (suffix: string, body: object): Promise<void> => hub.publish(region, `${prefix}/${suffix}`, JSON.stringify(body), 1);
    switch (operation) {
      case "update":
        await operations.update(region, address, payload);
        return;
      case "get": {
        const outcome = operations.get(region, address, clientToken);
        if (outcome.isOk()) await respond("get/accepted", outcome.value);
        else await respond("get/rejected", operations.rejectionPayload(outcome.error, clientToken));
        return;
      }
      case "delete": {
        const outcome = await operations.delete(region, address, clientToken);
        if (outcome.isErr()) await respond("delete/rejected", operations.rejectionPayload(outcome.error, clientToken));
        return;
      }
    }
  };
  const stops = SHADOW_REQUEST_FILTERS.map((filter) => hub.subscribeAllRegions(filter, handle));
  return () => {
    for (const stop of stops) stop();
  };
};
