import { err, ok, type Result } from "neverthrow";
import { DEFAULT_STACK, endpointUrl, parseFlags, region, wholeNumber } from "./operator-arguments";

export const DRILL_USAGE = `usage: npm run drill -- --devices <N> [--primary us-east-1] [--secondary us-west-2] [--timeout 420]
       [--no-sweep-now] [--stack iot-fleet-replicator] [--endpoint-url http://127.0.0.1:4566] [--json]`;

export interface DrillArguments {
  readonly devices: number;
  readonly primary: string;
  readonly secondary: string;
  /** Seconds each waiting stage may take (default: the sweep's 5-minute bound plus two minutes). */
  readonly timeoutSeconds: number;
  readonly endpointUrl: string | undefined;
  readonly json: boolean;
  /** Invoke the primary's registry sweep once the devices are provisioned and again once deleted (default), rather than wait for its schedule. */
  readonly sweepNow: boolean;
  /** The stack whose SweepRegistryFunctionArn output names the sweep on AWS. */
  readonly stack: string;
}

const DRILL_OPTIONS = {
  devices: { type: "string" },
  primary: { type: "string", default: "us-east-1" },
  secondary: { type: "string", default: "us-west-2" },
  timeout: { type: "string", default: "420" },
  "endpoint-url": { type: "string" },
  json: { type: "boolean", default: false },
  "no-sweep-now": { type: "boolean", default: false },
  stack: { type: "string", default: DEFAULT_STACK },
} as const;

export const parseDrillArguments = (argv: readonly string[]): Result<DrillArguments, string> =>
  parseFlags(argv, DRILL_OPTIONS).andThen((values) => {
    if (values.devices === undefined) return err("--devices is required");
    return wholeNumber("devices", values.devices, 1, 1000).andThen((devices) =>
      region("primary", values.primary).andThen((primary) =>
        region("secondary", values.secondary).andThen((secondary) => {
          if (primary === secondary) return err(`--primary and --secondary must differ, both are ${primary}`);
          return wholeNumber("timeout", values.timeout, 1, 3600).andThen((timeoutSeconds) =>
            endpointUrl(values["endpoint-url"]).andThen((endpoint) =>
              ok({
                devices,
                primary,
                secondary,
                timeoutSeconds,
                endpointUrl: endpoint,
                json: values.json,
                sweepNow: !values["no-sweep-now"],
                stack: values.stack,
              }),
            ),
          );
        }),
      ),
    );
  });
