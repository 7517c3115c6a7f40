import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { LocalCloud } from "../local-cloud";
import { connectMqttApiClient } from "./mqtt-api-client";

/** The URL of the messages queue the template created in a region (MessagesQueueArn left empty). */
export const messagesQueueUrl = (cloud: LocalCloud, region: string): string => {
  const queue = cloud.regions.get(region)?.resources.get("MessagesQueue");
  if (!queue) throw new Error(`${region} has no MessagesQueue (is MessagesQueueArn set in samconfig.toml?)`);
  return queue.physicalId;
};

/** The sample's message (sqs-example.json): thingName is the uuid, epochTime orders the messages. */
export const sampleMessage = (thingName: string, epochTime: number): Record<string, string> => ({
  thingName,
  epochTime: String(epochTime),
  tempSensor1F: "72",
  tempSensor2F: "70",
});

/**
 * The message API demo of `npm start`: drops a message for testThing into the region's queue, waits
 * for its notification, then asks for it over MQTT (query, get) as a device would, printing each
 * response payload and its request -> response round trip.
 */
export const runMessageApiDemo = async (cloud: LocalCloud, print: (line: string) => void): Promise<void> => {
  const region = cloud.envs[0]?.region;
  if (!region) throw new Error("the local cloud has no region");
  print("demo: message ingestion + MQTT API");
  const api = await connectMqttApiClient(`mqtt://127.0.0.1:${cloud.aws.hub.portFor(region)}`, "testThing");
  try {
    await api.subscribe("notification/testThing");
    const notified = api.nextMessageOn("notification/testThing", 20_000);
    const sentAt = Date.now();
    const body = sampleMessage("testThing", Math.floor(sentAt / 1000));
    await cloud
      .clients(region)
      .sqs.send(new SendMessageCommand({ QueueUrl: messagesQueueUrl(cloud, region), MessageBody: JSON.stringify(body) }));
    print(`  ${region}: sent ${JSON.stringify(body)} to the messages queue`);
    const notification = await notified;
    print(`  notification/testThing ${JSON.stringify(notification)} (${Date.now() - sentAt} ms after sending)`);
    const query = await api.request("request/query/testThing");
    print(
      `  request/query/testThing -> ${query.topic} ${JSON.stringify(query.payload)} (${query.elapsedMs.toFixed(1)} ms, with the API function's cold start)`,
    );
    const newest = String(query.payload["newestMessageId"]);
    const get = await api.request(`request/get/testThing/${newest}`);
    print(`  request/get/testThing/${newest} -> ${JSON.stringify(get.payload)} (${get.elapsedMs.toFixed(1)} ms)`);
  } finally {
    await api.close();
  }
};
