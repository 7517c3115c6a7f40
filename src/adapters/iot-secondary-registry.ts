import type { IoTClient } from "@aws-sdk/client-iot";
import { refKey } from "../domain/recovery/entity-ref";
import type { SecondaryRegistry } from "../domain/recovery/recovery-ports";
import type { IotDataClientProvider } from "./iot-data-client-provider";
import { knownEntities } from "./iot-known-entities";
import { createIotLiveStateReader } from "./iot-live-state-reader";
import { createIotRegistryWriter } from "./iot-registry-writer";

/** The secondary region's registry and shadows as the applier sees them: live state reads and planned calls. */
export const createIotSecondaryRegistry = (iot: IoTClient, dataClientFor: IotDataClientProvider): SecondaryRegistry => {
  const known = knownEntities();
  return {
    read: createIotLiveStateReader(iot, dataClientFor, known),
    execute: createIotRegistryWriter(iot, dataClientFor, known),
    knownToExist: (ref) => known.valueOf(refKey(ref)) !== undefined,
  };
};
