import { join } from "node:path";
import { build } from "esbuild";

/** The mutual-TLS listeners of the brokers: where they listen and the server certificate they present. */
export interface BrokerTlsOptions {
  /** TLS port of the first region's broker; the next regions take the following ports. 0 picks free ones. */
  readonly basePort: number;
  /** Issued by the local IoT CA for the host names clients connect to, so a device that trusts the CA verifies the broker. */
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

const AUTHORIZER_ENTRY = join(__dirname, "..", "iot", "mqtt-authorizer.ts");

/**
 * The pure MQTT authorizer (and the policy evaluator it uses) as one ECMAScript module, for the
 * brokers' worker thread: the worker is plain Node without a TypeScript loader, and bundling the one
 * implementation beats a copy in JavaScript or a round trip to the main thread for every packet.
 */
export const bundleMqttAuthorizer = async (): Promise<string> => {
  const result = await build({
    entryPoints: [AUTHORIZER_ENTRY],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no bundle for ${AUTHORIZER_ENTRY}`);
  return output.text;
};
