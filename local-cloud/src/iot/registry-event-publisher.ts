import { LOCAL_ACCOUNT_ID } from "../endpoint/service";
import type { FaultInjector } from "../faults/fault-injector";
import { deliverWithFaults } from "../faults/faulty-delivery";
import type { RegionState, RegistryEventType } from "./region-state";
import type { EventStamp, RegistryEvent } from "./registry-event-payloads";

/** Delivers an MQTT message to one region's broker. */
export type PublishToBroker = (region: string, topic: string, payload: string) => Promise<void>;

/** Publishes a region's registry events, but only the types that region has enabled. */
export interface RegistryEventPublisher {
  emit(type: RegistryEventType, build: (stamp: EventStamp) => RegistryEvent): Promise<void>;
}

/**
 * Binds event publishing to one region's event configuration. The event is built only when its type
 * is enabled, so a disabled type costs no id; it is delivered before the API call answers, so a
 * client that saw the response can rely on the broker having the message. Under faults an event may
 * be published twice and later than the answer (AWS publishes registry events at least once, in any
 * order); a late publish that fails is reported to `onLateError`.
 */
export const createRegistryEventPublisher = (
  region: string,
  state: RegionState,
  publish: PublishToBroker,
  clock: () => number,
  newId: () => string,
  faults?: { readonly injector: FaultInjector; readonly onLateError: (error: unknown) => void },
): RegistryEventPublisher => ({
  emit: async (type, build) => {
    if (state.eventConfigurations.get(type) !== true) return;
    const event = build({ eventId: newId(), timestamp: clock(), accountId: LOCAL_ACCOUNT_ID, region });
    const payload = JSON.stringify(event.payload);
    await deliverWithFaults(
      faults?.injector,
      "registry-event",
      () => publish(region, event.topic, payload),
      (error) => faults?.onLateError(error),
    );
  },
});
