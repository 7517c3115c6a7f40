import { randomUUID } from "node:crypto";
import { notImplemented } from "../endpoint/aws-error";
import type { LocalRequest, LocalResponse, LocalService } from "../endpoint/service";
import type { FaultInjector } from "../faults/fault-injector";
import { certificateRoutes } from "./certificates";
import { eventConfigurationRoutes } from "./event-configurations";
import { type IotContext, type IotRoute, parseJsonBody } from "./iot-call";
import { matchRoute } from "./iot-router";
import { policyRoutes } from "./policies";
import { policyAttachmentRoutes } from "./policy-attachments";
import { createRegionState, type RegionState } from "./region-state";
import { createRegistryEventPublisher, type PublishToBroker } from "./registry-event-publisher";
import { thingGroupMembershipRoutes } from "./thing-group-membership";
import { thingGroupRoutes } from "./thing-groups";
import { thingPrincipalRoutes } from "./thing-principals";
import { thingTypeRoutes } from "./thing-types";
import { thingRoutes } from "./things";
import { createLocalCertificateAuthority, type LocalCertificateAuthority } from "./x509-certificates";

export interface IotServiceOptions {
  /** Delivers a registry event to that region's MQTT broker. */
  readonly publish: PublishToBroker;
  readonly clock?: () => number;
  readonly newId?: () => string;
  /** What DescribeEndpoint answers for a region (default `127.0.0.1`). */
  readonly endpointAddress?: (region: string) => string;
  /** Duplicates and delays registry events as its rules say; a delayed publish that fails is logged. */
  readonly faults?: { readonly injector: FaultInjector; readonly onLateError: (error: unknown) => void };
  /** Issues CreateKeysAndCertificate certificates; the local cloud passes the CA its brokers' TLS certificate chains to. */
  readonly certificateAuthority?: LocalCertificateAuthority;
  /**
   * Called after every successful call that may change a region's registry (any method but GET), before
   * the call answers: the brokers then enforce what the client was just told, e.g. a certificate it
   * deactivated can no longer publish.
   */
  readonly onRegistryChange?: (ctx: IotContext) => Promise<void>;
}

const ROUTES: readonly IotRoute[] = [
  ...thingRoutes,
  ...thingTypeRoutes,
  ...thingGroupRoutes,
  ...thingGroupMembershipRoutes,
  ...policyRoutes,
  ...policyAttachmentRoutes,
  ...certificateRoutes,
  ...thingPrincipalRoutes,
  ...eventConfigurationRoutes,
];

/**
 * The AWS IoT control plane (restJson1; signed `iot`, or `execute-api` by older clients) for the local cloud: registry,
 * policies, certificates, principals and registry events, with separate state for every region a
 * client names. Operations it does not emulate answer NotImplementedException naming the request,
 * never a silent success.
 */
export const createIotService = (options: IotServiceOptions): LocalService => {
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const endpointAddress = options.endpointAddress ?? (() => "127.0.0.1");
  const regions = new Map<string, IotContext>();
  let authority: Promise<LocalCertificateAuthority> | undefined =
    options.certificateAuthority && Promise.resolve(options.certificateAuthority);
  const certificateAuthority = (): Promise<LocalCertificateAuthority> => {
    authority ??= createLocalCertificateAuthority(new Date(clock()));
    return authority;
  };

  const contextFor = (region: string): IotContext => {
    const known = regions.get(region);
    if (known) return known;
    const state: RegionState = createRegionState(clock());
    const events = createRegistryEventPublisher(region, state, options.publish, clock, newId, options.faults);
    const ctx: IotContext = { region, state, clock, newId, events, endpointAddress, certificateAuthority };
    regions.set(region, ctx);
    return ctx;
  };

  return {
    name: "iot",
    operationOf: (request) => matchRoute(ROUTES, request.method, request.path)?.route.operation,
    handle: async (request: LocalRequest): Promise<LocalResponse> => {
      const matched = matchRoute(ROUTES, request.method, request.path);
      if (!matched) throw notImplemented("iot", `${request.method} ${request.path}`);
      const ctx = contextFor(request.region);
      const result = await matched.route.handler({
        ctx,
        labels: matched.labels,
        query: request.query,
        headers: request.headers,
        body: parseJsonBody(request.body),
      });
      if (request.method !== "GET") await options.onRegistryChange?.(ctx);
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(result) };
    },
  };
};
