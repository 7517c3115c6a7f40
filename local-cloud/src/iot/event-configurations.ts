import { epochSeconds, type IotCall, type IotRoute, invalidRequest } from "./iot-call";
import { REGISTRY_EVENT_TYPES, type RegistryEventType } from "./region-state";

const isEventType = (name: string): name is RegistryEventType => (REGISTRY_EVENT_TYPES as readonly string[]).includes(name);

const describeEventConfigurations = ({ ctx }: IotCall): Record<string, unknown> => ({
  eventConfigurations: Object.fromEntries([...ctx.state.eventConfigurations].map(([type, enabled]) => [type, { Enabled: enabled }])),
  creationDate: epochSeconds(ctx.state.createdAt),
  lastModifiedDate: epochSeconds(ctx.state.eventConfigurationsModifiedAt),
});

/**
 * Switches registry event types on or off for the caller's region. Unknown types are refused before
 * anything changes, so a bad request never half-applies.
 */
const updateEventConfigurations = ({ ctx, body }: IotCall): Record<string, unknown> => {
  const given = body.eventConfigurations;
  if (given === undefined || given === null) return {};
  if (typeof given !== "object" || Array.isArray(given)) throw invalidRequest("eventConfigurations must be a map");
  const changes: Array<[RegistryEventType, boolean]> = [];
  for (const [name, configuration] of Object.entries(given as Record<string, unknown>)) {
    if (!isEventType(name)) throw invalidRequest(`unknown event type ${name}`);
    const enabled = (configuration as { Enabled?: unknown } | null)?.Enabled;
    if (enabled !== undefined && typeof enabled !== "boolean") throw invalidRequest(`${name}.Enabled must be a boolean`);
    changes.push([name, enabled === true]);
  }
  for (const [type, enabled] of changes) ctx.state.eventConfigurations.set(type, enabled);
  ctx.state.eventConfigurationsModifiedAt = ctx.clock();
  return {};
};

const ENDPOINT_TYPES = new Set(["iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs"]);

/** Answers the address devices and data-plane clients should use: the local broker or endpoint host. */
const describeEndpoint = ({ ctx, query }: IotCall): Record<string, unknown> => {
  const endpointType = query.get("endpointType");
  if (endpointType !== null && !ENDPOINT_TYPES.has(endpointType)) throw invalidRequest(`unknown endpointType ${endpointType}`);
  return { endpointAddress: ctx.endpointAddress(ctx.region) };
};

/** Registry event switches and the account's endpoint address. */
export const eventConfigurationRoutes: readonly IotRoute[] = [
  { method: "GET", path: "/event-configurations", operation: "DescribeEventConfigurations", handler: describeEventConfigurations },
  { method: "PATCH", path: "/event-configurations", operation: "UpdateEventConfigurations", handler: updateEventConfigurations },
  { method: "GET", path: "/endpoint", operation: "DescribeEndpoint", handler: describeEndpoint },
];
