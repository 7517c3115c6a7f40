import { readStackOutput } from "./stack-output";

/**
 * A resource of the deployed stack that a command needs: on AWS from the stack's output; on the local
 * cloud (an endpoint URL is given) by the names it gives resources (`{stack}-{logicalId}` for tables,
 * the logical id for functions, which its Lambda API accepts).
 */
export const stackResource = (
  args: { readonly stack: string; readonly endpointUrl: string | undefined },
  region: string,
  resource: { readonly output: string; readonly logicalId: string; readonly kind: "table" | "function" },
): { readonly name: string } | { readonly reason: string } => {
  if (args.endpointUrl) return { name: resource.kind === "table" ? `${args.stack}-${resource.logicalId}` : resource.logicalId };
  const output = readStackOutput(args.stack, region, resource.output);
  return "value" in output ? { name: output.value } : output;
};
