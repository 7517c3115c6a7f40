import { AwsError, notImplemented } from "../endpoint/aws-error";
import type { LocalRequest, LocalResponse, LocalService } from "../endpoint/service";
import type { BrokerHub } from "../mqtt/broker-hub";
import type { JsonObject, ShadowRejection } from "./shadow-document";
import { bridgeShadowRequestsFromMqtt } from "./shadow-mqtt-bridge";
import { createShadowOperations, type ShadowOperations } from "./shadow-operations";
import { createShadowStore, type ShadowAddress } from "./shadow-store";

export interface IotDataServiceOptions {
  readonly hub: BrokerHub;
  readonly clock?: () => number;
}

const REJECTION_CODES: Record<ShadowRejection["code"], string> = {
  400: "InvalidRequestException",
  404: "ResourceNotFoundException",
  409: "ConflictException",
  413: "RequestEntityTooLargeException",
};

const toAwsError = (rejection: ShadowRejection): AwsError =>
  new AwsError(REJECTION_CODES[rejection.code], rejection.message, rejection.code);

const json = (body: JsonObject): LocalResponse => ({
  status: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const decodeSegments = (path: string): string[] =>
  path
    .split("/")
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment));

/** Names the IoT data plane operations we do not emulate, so the error tells the caller which one it hit. */
const unsupportedOperationName = (method: string, segments: string[]): string => {
  if (segments[0] === "retainedMessage") return segments.length > 1 ? "GetRetainedMessage" : "ListRetainedMessages";
  if (segments[0] === "connections") {
    if (segments[2] === "subscriptions") return "ListSubscriptions";
    if (segments[2] === "messages") return "SendDirectMessage";
    return method === "DELETE" ? "DeleteConnection" : "GetConnection";
  }
  return `${method} /${segments.join("/")}`;
};

const SHADOW_OPERATIONS: Readonly<Record<string, string>> = {
  GET: "GetThingShadow",
  POST: "UpdateThingShadow",
  DELETE: "DeleteThingShadow",
};

/** The data plane's name for the operation a request calls (for throttle and quota rules), from its REST path. */
const operationOf = (request: LocalRequest): string | undefined => {
  const segments = decodeSegments(request.path);
  if (segments.length === 3 && segments[0] === "things" && segments[2] === "shadow") return SHADOW_OPERATIONS[request.method];
  if (request.path.startsWith("/api/things/shadow/ListNamedShadowsForThing/")) return "ListNamedShadowsForThing";
  if (request.path.startsWith("/topics/")) return "Publish";
  return unsupportedOperationName(request.method, segments);
};

const parseQos = (value: string | null): 0 | 1 => {
  if (value === null || value === "0") return 0;
  if (value === "1") return 1;
  throw new AwsError("InvalidRequestException", `qos must be 0 or 1, got ${value}`, 400);
};

const listNamedShadows = (names: string[], query: URLSearchParams, timestamp: number): JsonObject => {
  const pageSize = Number(query.get("pageSize") ?? "25");
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new AwsError("InvalidRequestException", "pageSize must be between 1 and 100", 400);
  }
  const start = Number(query.get("nextToken") ?? "0");
  if (!Number.isInteger(start) || start < 0) throw new AwsError("InvalidRequestException", "invalid nextToken", 400);
  const results = names.slice(start, start + pageSize);
  const page: JsonObject = { results, timestamp };
  if (start + pageSize < names.length) page.nextToken = String(start + pageSize);
  return page;
};

/**
 * The AWS IoT data plane (restJson1, signed `iotdata`; see `service-routing.ts` for the aliases): device shadows over HTTPS and
 * Publish, backed by the region's MQTT broker so shadow traffic is visible to devices and rules.
 * Also answers shadow requests devices publish over MQTT.
 */
export const createIotDataService = (options: IotDataServiceOptions): LocalService => {
  const clock = options.clock ?? Date.now;
  const operations: ShadowOperations = createShadowOperations({ hub: options.hub, store: createShadowStore(), clock });
  const stopBridge = bridgeShadowRequestsFromMqtt(options.hub, operations);

  const handleShadow = async (request: LocalRequest, address: ShadowAddress): Promise<LocalResponse> => {
    const { region } = request;
    switch (request.method) {
      case "GET": {
        const outcome = operations.get(region, address);
        if (outcome.isErr()) throw toAwsError(outcome.error);
        return json(outcome.value);
      }
      case "POST": {
        const outcome = await operations.update(region, address, request.body);
        if (outcome.isErr()) throw toAwsError(outcome.error);
        return json(outcome.value);
      }
      case "DELETE": {
        const outcome = await operations.delete(region, address);
        if (outcome.isErr()) throw toAwsError(outcome.error);
        return json(outcome.value);
      }
      default:
        throw new AwsError("MethodNotAllowedException", `${request.method} is not allowed on a shadow`, 405);
    }
  };

  const handle = async (request: LocalRequest): Promise<LocalResponse> => {
    const segments = decodeSegments(request.path);
    const shadowName = request.query.get("name") ?? undefined;
    if (segments.length === 3 && segments[0] === "things" && segments[2] === "shadow") {
      return handleShadow(request, { thingName: segments[1] as string, ...(shadowName ? { shadowName } : {}) });
    }
    if (request.method === "GET" && segments.length === 5 && request.path.startsWith("/api/things/shadow/ListNamedShadowsForThing/")) {
      const names = operations.namedShadows(request.region, segments[4] as string);
      return json(listNamedShadows(names, request.query, Math.floor(clock() / 1000)));
    }
    if (request.method === "POST" && request.path.startsWith("/topics/")) {
      const topic = decodeURIComponent(request.path.slice("/topics/".length));
      if (!topic) throw new AwsError("InvalidRequestException", "topic is required", 400);
      await options.hub.publish(
        request.region,
        topic,
        request.body,
        parseQos(request.query.get("qos")),
        request.query.get("retain") === "true",
      );
      return { status: 200, headers: { "content-type": "application/json" }, body: "{}" };
    }
    throw notImplemented("iotdata", unsupportedOperationName(request.method, segments));
  };

  return {
    name: "iotdata",
    handle,
    operationOf,
    close: async () => stopBridge(),
  };
};
