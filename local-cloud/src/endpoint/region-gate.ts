import { AwsError } from "./aws-error";

/**
 * The answer to a request for a region the local cloud has not deployed. On AWS a region that does
 * not exist has no endpoint at all (the client fails to connect: "Could not connect to the endpoint
 * URL"), and a real region not enabled for the account answers every call with
 * UnrecognizedClientException (403, not retried). The local cloud has one URL for every region, so
 * it cannot fail the connection for one region only; it answers as a region that is not enabled,
 * with a message naming the regions that are deployed.
 */
export const regionNotDeployed = (region: string, deployed: readonly string[]): AwsError =>
  new AwsError(
    "UnrecognizedClientException",
    `region ${region} is not deployed on this local cloud (deployed regions: ${deployed.join(", ")}): use one of them, or add a samconfig.toml config-env with region = "${region}" and restart npm start`,
    403,
  );
