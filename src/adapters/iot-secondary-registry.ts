import type { IoTClient } from "@aws-sdk/client-iot";
import type { SecondaryRegistry } from "../domain/recovery/recovery-ports";
import type { IotDataClientProvider } from "./iot-data-client-provider";
import { knownCertificates } from "./iot-known-certificates";
import { createIotLiveStateReader } from "./iot-live-state-reader";
import { createIotRegistryWriter } from "./iot-registry-writer";

/** The secondary region's registry and shadows as the applier sees them: live state reads and planned calls. */
export const createIotSecondaryRegistry = (iot: IoTClient, dataClientFor: IotDataClientProvider): SecondaryRegistry => {
  const certificates = knownCertificates();
  return {
    read: createIotLiveStateReader(iot, dataClientFor, certificates),
    execute: createIotRegistryWriter(iot, dataClientFor, certificates),
    knownToExist: (ref) => ref.entityType === "certificate" && certificates.arnOf(ref.entityName) !== undefined,
  };
};
