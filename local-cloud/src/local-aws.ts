import { createDynamoDbService, type DynamoDbService } from "./dynamodb/dynamodb-service";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local";
import { type LocalEndpoint, type LocalRoute, startLocalEndpoint } from "./endpoint/server";
import type { LocalService } from "./endpoint/service";
import { FaultInjector } from "./faults/fault-injector";
import { type FaultRules, NO_FAULTS } from "./faults/fault-rules";
import { createAccessSnapshotPublisher } from "./iot/access-snapshot";
import { createIotService } from "./iot/iot-service";
import { createLocalCertificateAuthority } from "./iot/x509-certificates";
import { createIotDataService } from "./iot-data/iot-data-service";
import { type BrokerHub, BrokerStartError, startBrokerHub } from "./mqtt/broker-hub";
import { createSqsService, type LocalSqsService } from "./sqs/sqs-service";
import { createSsmService } from "./ssm/ssm-service";
import { isAddressInUse, StartupError } from "./startup-error";

const ANOTHER_CLOUD = "is another `npm start` or `npm run local:endpoint` running?";

/** A busy port, said in one line with what to do: the entry points read LOCAL_AWS_PORT and LOCAL_MQTT_PORT. */
const explainStartFailure = (error: unknown, options: LocalAwsOptions): unknown => {
  if (error instanceof BrokerStartError && isAddressInUse(error)) {
    const offset = options.regions.indexOf(error.region);
    const tlsBase = options.mqttTlsBasePort ?? 0;
    const variable = tlsBase !== 0 && error.port === tlsBase + offset ? "LOCAL_MQTTS_PORT" : "LOCAL_MQTT_PORT";
    return new StartupError(
      `MQTT port ${error.port} (broker of ${error.region}${offset > 0 ? `, ${variable} + ${offset}` : ""}) is in use (${ANOTHER_CLOUD}): stop that process, or set ${variable} to a base port with ${options.regions.length} free ports from it (0 picks free ports)`,
    );
  }
  if (isAddressInUse(error))
    return new StartupError(
      `port ${options.port} of the AWS endpoint is in use (${ANOTHER_CLOUD}): stop that process, or set LOCAL_AWS_PORT to a free port (0 picks one)`,
    );
  return error;
};

/** Where the local endpoint serves the local IoT CA's certificate, which devices trust to verify the brokers' TLS ports. */
const IOT_CA_PATH = "/_local/iot/ca.pem";

export interface LocalAwsOptions {
  /** HTTP port of the one AWS endpoint; 0 picks a free one. */
  readonly port: number;
  /** MQTT port of the first region's broker; the next regions take the following ports. 0 picks free ones. */
  readonly mqttBasePort: number;
  /** Mutual-TLS MQTT port of the first region's broker (AWS IoT's rules apply there); the same scheme. Default 0. */
  readonly mqttTlsBasePort?: number;
  /** Regions whose brokers start at once; any other region a client names still works, unless onlyTheseRegions. */
  readonly regions: readonly string[];
  /** Refuse requests for any region but `regions` (the deployed local cloud: see `endpoint/region-gate.ts`). */
  readonly onlyTheseRegions?: boolean;
  /** Extra fields for `GET /_local/health`; a `status` here overrides "ready" (e.g. while deploying). */
  readonly health?: () => Record<string, unknown>;
  /** Unsigned HTTP routes the caller adds (the local cloud adds its functions' URLs). */
  readonly localRoutes?: readonly LocalRoute[];
  /** Services the caller adds (the local cloud adds Lambda for the functions it deploys). */
  readonly extraServices?: readonly LocalService[];
  /** Faults from the start (`LOCAL_FAULTS`); `PUT /_local/faults` changes them at run time. Default: none. */
  readonly faults?: FaultRules;
  /** Where background events go: the brokers' refusals on TLS ports, a delayed delivery that failed. Default: the console. */
  readonly log?: (line: string) => void;
  /** Keep DynamoDB Local's data in files so that `dynamoDbLocal.restart()` keeps it (see `startDynamoDbLocal`). */
  readonly restartableDynamoDb?: boolean;
}

export interface LocalAws {
  readonly url: string;
  readonly port: number;
  readonly hub: BrokerHub;
  /** The local IoT CA (PEM): it issues CreateKeysAndCertificate certificates and the brokers' TLS certificate. */
  readonly iotCaCertificatePem: string;
  readonly dynamodb: DynamoDbService;
  readonly sqs: LocalSqsService;
  readonly dynamoDbLocal: DynamoDbLocal;
  /** The fault model every delivery point and the endpoint ask (see `faults/`). */
  readonly faults: FaultInjector;
  close(): Promise<void>;
}

/**
 * Starts the local AWS endpoint: DynamoDB Local behind a proxy that adds global tables, the IoT
 * control plane with registry events, the IoT data plane with shadows, SQS and SSM, one HTTP endpoint
 * routed by SigV4 scope, and one MQTT broker per region. Stops everything it started on close.
 */
export const startLocalAws = async (options: LocalAwsOptions): Promise<LocalAws> => {
  const faults = new FaultInjector(options.faults ?? NO_FAULTS, Date.now());
  const log = options.log ?? ((line: string) => console.error(line));
  const dynamoDbLocal = await startDynamoDbLocal({ restartable: options.restartableDynamoDb === true });
  let hub: BrokerHub | undefined;
  let endpoint: LocalEndpoint | undefined;
  try {
    const now = new Date();
    const certificateAuthority = await createLocalCertificateAuthority(now);
    const serverCertificate = await certificateAuthority.issueServerCertificate(["localhost", "127.0.0.1"], now);
    const startedHub = await startBrokerHub({
      basePort: options.mqttBasePort,
      regions: options.regions,
      tls: { basePort: options.mqttTlsBasePort ?? 0, ...serverCertificate },
      ...(options.log ? { log: options.log } : {}),
    });
    hub = startedHub;
    const dynamodb = createDynamoDbService({ dynamoDbLocalEndpoint: dynamoDbLocal.endpoint, regions: () => startedHub.regions() });
    const sqs = createSqsService();
    const services = [
      dynamodb,
      sqs,
      createSsmService(),
      createIotService({
        publish: (region, topic, payload) => startedHub.ensureRegion(region).then(() => startedHub.publish(region, topic, payload, 1)),
        endpointAddress: (region) => `127.0.0.1:${startedHub.portFor(region) ?? options.mqttBasePort}`,
        faults: { injector: faults, onLateError: (error) => log(`registry event delivered late failed: ${String(error)}`) },
        certificateAuthority,
        onRegistryChange: createAccessSnapshotPublisher((region, snapshot) => startedHub.updateAccess(region, snapshot)),
      }),
      createIotDataService({ hub: startedHub }),
      ...(options.extraServices ?? []),
    ];
    endpoint = await startLocalEndpoint({
      port: options.port,
      services,
      faults,
      ...(options.onlyTheseRegions ? { regions: options.regions } : {}),
      health: () => ({
        regions: startedHub
          .regions()
          .map((region) => ({ region, mqttPort: startedHub.portFor(region), mqttsPort: startedHub.tlsPortFor(region) })),
        iotCaCertificate: `${endpoint?.url ?? ""}${IOT_CA_PATH}`,
        ...options.health?.(),
      }),
      ...(options.localRoutes ? { localRoutes: options.localRoutes } : {}),
      localResources: {
        [IOT_CA_PATH]: { status: 200, headers: { "content-type": "application/x-pem-file" }, body: certificateAuthority.certificatePem },
      },
    });
    const started = endpoint;
    return {
      url: started.url,
      port: started.port,
      hub: startedHub,
      iotCaCertificatePem: certificateAuthority.certificatePem,
      dynamodb,
      sqs,
      dynamoDbLocal,
      faults,
      close: async () => {
        await started.close();
        await startedHub.close();
        await dynamoDbLocal.stop();
      },
    };
  } catch (error) {
    await endpoint?.close();
    await hub?.close();
    await dynamoDbLocal.stop();
    throw explainStartFailure(error, options);
  }
};
