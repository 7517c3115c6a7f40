import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";
import type { LocalCloud } from "local-cloud";
import { LOCAL_CREDENTIALS } from "local-cloud/testing";
import { type DrillDevice, drillRun, policyCreator, provisionDevice, provisionRun } from "../../../src/cli/drill-fleet";
import { mapConcurrently } from "../../../src/handlers/map-concurrently";
import { PRIMARY } from "./disaster-recovery";

/**
 * A fleet made in the primary while its registry events are off (as a fleet that predates the
 * deployment): each device a typed thing with attributes in the run's group, its own certificate
 * with the run's policy, and a classic and a named shadow. Only a bootstrap brings it to a secondary.
 */
export const provisionFleet = async (cloud: LocalCloud, runId: string, devices: number): Promise<DrillDevice[]> => {
  const iot = cloud.clients(PRIMARY).iot;
  const iotData = new IoTDataPlaneClient({ region: PRIMARY, endpoint: cloud.aws.url, credentials: LOCAL_CREDENTIALS });
  const run = drillRun(runId);
  await provisionRun(iot, run);
  const ensurePolicy = policyCreator(iot, run);
  try {
    return await mapConcurrently(
      Array.from({ length: devices }, (_, index) => index),
      8,
      (index) => provisionDevice(iot, iotData, run, index, ensurePolicy),
    );
  } finally {
    iotData.destroy();
  }
};
