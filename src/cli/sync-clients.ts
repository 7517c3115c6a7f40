import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SSMClient } from "@aws-sdk/client-ssm";
import { ssmTargetCredentials } from "../adapters/ssm-target-credentials";
import type { SyncArguments } from "./sync-arguments";

/**
 * The two sides' clients of a sync command: the source with the caller's credentials, the target
 * with the SSM parameters' (as the writer reads them) or, without them, the caller's default chain.
 */
export const syncClients = (args: SyncArguments) => {
  const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});
  const source = new DynamoDBClient({ region: args.sourceRegion, ...endpoint(args.endpointUrl) });
  const ssm = new SSMClient({ region: args.sourceRegion, ...endpoint(args.endpointUrl) });
  const target = new DynamoDBClient({
    region: args.targetRegion,
    ...endpoint(args.targetEndpointUrl),
    ...(args.targetKeyParameters ? { credentials: ssmTargetCredentials(ssm, args.targetKeyParameters, 300_000) } : {}),
  });
  return {
    source,
    target,
    destroy: () => {
      source.destroy();
      target.destroy();
      ssm.destroy();
    },
  };
};
