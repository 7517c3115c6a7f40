import { DescribeEndpointCommand, IoTClient } from "@aws-sdk/client-iot";
import { IoTDataPlaneClient } from "@aws-sdk/client-iot-data-plane";

/**
 * Where the IoT data client sends its requests, decided once per cold start:
 * - `AWS_ENDPOINT_URL` set (the local cloud, or any endpoint override): the SDK already uses it, and
 *   the local endpoint routes by the signing name `iotdata`, so no explicit endpoint;
 * - `IOT_DATA_ENDPOINT` set (the template's optional IotDataEndpoint parameter): that host;
 * - otherwise DescribeEndpoint `iot:Data-ATS`, called lazily on the first publish and cached, so a
 *   deployment needs no manual `aws iot describe-endpoint` step and no custom resource.
 * Clients are built here, lazily, so `instrument` (the handler's tracer) wraps each one it builds.
 */
export type IotDataClientProvider = () => Promise<IoTDataPlaneClient>;

export const iotDataClientProvider = (
  environment: { readonly awsEndpointUrl?: string; readonly iotDataEndpoint?: string },
  instrument: <C extends object>(client: C) => C = (client) => client,
): IotDataClientProvider => {
  let client: Promise<IoTDataPlaneClient> | undefined;
  const dataClient = (endpoint?: string) => instrument(new IoTDataPlaneClient(endpoint ? { endpoint } : {}));
  const resolve = async (): Promise<IoTDataPlaneClient> => {
    if (environment.awsEndpointUrl) return dataClient();
    if (environment.iotDataEndpoint) return dataClient(`https://${environment.iotDataEndpoint.replace(/^https:\/\//, "")}`);
    const iot = instrument(new IoTClient({}));
    try {
      const { endpointAddress } = await iot.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }));
      if (!endpointAddress) throw new Error("DescribeEndpoint returned no iot:Data-ATS address");
      return dataClient(`https://${endpointAddress}`);
    } finally {
      iot.destroy();
    }
  };
  return () => {
    // A failed lookup is not cached: the next publish tries again.
    client ??= resolve().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
};
