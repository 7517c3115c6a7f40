import { err, ok, type Result } from "neverthrow";
import type { BrokerHub } from "../mqtt/broker-hub";
import { isJsonObject, type JsonObject, parseShadowUpdateRequest, type ShadowRejection, shadowDocument } from "./shadow-document";
import { noShadowRejection, type ShadowAddress, type ShadowStore } from "./shadow-store";
import { shadowTopicPrefix } from "./shadow-topics";

/**
 * The shadow service behind both transports (HTTPS data plane and MQTT `$aws/things/...` topics):
 * one place applies a request to the store and announces the outcome on the region's broker, so a
 * device and an SDK client see exactly the same shadow and the same `/accepted`, `/documents`,
 * `/delta` messages.
 */
export interface ShadowOperations {
  update(region: string, address: ShadowAddress, payload: Buffer | string): Promise<Result<JsonObject, ShadowRejection>>;
  get(region: string, address: ShadowAddress, clientToken?: string): Result<JsonObject, ShadowRejection>;
  delete(region: string, address: ShadowAddress, clientToken?: string): Promise<Result<JsonObject, ShadowRejection>>;
  namedShadows(region: string, thingName: string): string[];
  /** The `/rejected` payload AWS publishes: code, message, timestamp and the request's clientToken. */
  rejectionPayload(rejection: ShadowRejection, clientToken?: string): JsonObject;
}

export interface ShadowOperationsDeps {
  readonly hub: BrokerHub;
  readonly store: ShadowStore;
  readonly clock: () => number;
}

/** Reads a clientToken from a request payload that may not even be valid JSON, to echo it in a rejection. */
export const clientTokenOf = (payload: Buffer | string): string | undefined => {
  try {
    const parsed: unknown = JSON.parse(payload.toString() || "{}");
    return isJsonObject(parsed) && typeof parsed.clientToken === "string" ? parsed.clientToken : undefined;
  } catch {
    return undefined;
  }
};

export const createShadowOperations = ({ hub, store, clock }: ShadowOperationsDeps): ShadowOperations => {
  const nowSeconds = (): number => Math.floor(clock() / 1000);
  const publishJson = (region: string, topic: string, body: JsonObject): Promise<void> =>
    hub.publish(region, topic, JSON.stringify(body), 1);
  const rejectionPayload = (rejection: ShadowRejection, clientToken?: string): JsonObject => ({
    code: rejection.code,
    message: rejection.message,
    timestamp: nowSeconds(),
    ...(clientToken !== undefined ? { clientToken } : {}),
  });

  return {
    rejectionPayload,
    namedShadows: (region, thingName) => store.namedShadows(region, thingName),
    update: async (region, address, payload) => {
      const prefix = shadowTopicPrefix(address);
      const outcome = parseShadowUpdateRequest(payload).andThen((request) => store.update(region, address, request, nowSeconds()));
      if (outcome.isErr()) {
        await publishJson(region, `${prefix}/update/rejected`, rejectionPayload(outcome.error, clientTokenOf(payload)));
        return err(outcome.error);
      }
      const applied = outcome.value;
      await publishJson(region, `${prefix}/update/accepted`, applied.accepted);
      await publishJson(region, `${prefix}/update/documents`, applied.documents);
      if (applied.delta) await publishJson(region, `${prefix}/update/delta`, applied.delta);
      return ok(applied.accepted);
    },
    get: (region, address, clientToken) => {
      const shadow = store.get(region, address);
      return shadow ? ok(shadowDocument(shadow, nowSeconds(), clientToken)) : err(noShadowRejection(address));
    },
    delete: async (region, address, clientToken) => {
      const outcome = store.delete(region, address, nowSeconds());
      if (outcome.isErr()) return err(outcome.error);
      const body: JsonObject = { ...outcome.value, ...(clientToken !== undefined ? { clientToken } : {}) };
      await publishJson(region, `${shadowTopicPrefix(address)}/delete/accepted`, body);
      return ok(body);
    },
  };
};
