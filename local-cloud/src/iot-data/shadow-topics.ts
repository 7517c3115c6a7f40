import type { ShadowAddress } from "./shadow-store";

/** `$aws/things/{thing}/shadow` or `$aws/things/{thing}/shadow/name/{shadow}`: the prefix of every shadow topic. */
export const shadowTopicPrefix = ({ thingName, shadowName }: ShadowAddress): string =>
  `$aws/things/${thingName}/shadow${shadowName === undefined ? "" : `/name/${shadowName}`}`;

export type ShadowMqttOperation = "update" | "get" | "delete";

/** MQTT filters on which devices send shadow requests (classic and named shadows). */
export const SHADOW_REQUEST_FILTERS = ["$aws/things/+/shadow/+", "$aws/things/+/shadow/name/+/+"] as const;

/**
 * Recognises a device's shadow request topic (`.../update`, `.../get`, `.../delete`); anything else
 * under the shadow prefix (our own `/accepted`, `/rejected`, ... responses) is not a request.
 */
export const parseShadowRequestTopic = (topic: string): { address: ShadowAddress; operation: ShadowMqttOperation } | undefined => {
  const levels = topic.split("/");
  if (levels[0] !== "$aws" || levels[1] !== "things" || levels[3] !== "shadow" || !levels[2]) return undefined;
  const thingName = levels[2];
  const named = levels.length === 7 && levels[4] === "name" && levels[5];
  const operation = named ? levels[6] : levels.length === 5 ? levels[4] : undefined;
  if (operation !== "update" && operation !== "get" && operation !== "delete") return undefined;
  return { address: named ? { thingName, shadowName: levels[5] as string } : { thingName }, operation };
};
