import { readStackOutput } from "./stack-output";

/**
 * Where a region's health check answers: the URL given, else the local cloud's function URL of
 * HealthCheckFunction (listed by `GET /_local/health` of the endpoint), else the stack's HealthCheckUrl
 * output read with the SAM CLI (`sam list stack-outputs`, the tool that deploys the stack). Undefined
 * with the reason when none of them can tell.
 */
export const findHealthUrl = async (
  forRegion: string,
  options: { readonly healthUrl: string | undefined; readonly endpointUrl: string | undefined; readonly stack: string },
): Promise<{ url: string } | { reason: string }> => {
  if (options.healthUrl) return { url: options.healthUrl };
  if (options.endpointUrl) {
    try {
      const health = (await (await fetch(`${options.endpointUrl.replace(/\/$/, "")}/_local/health`)).json()) as {
        stacks?: { region: string; functionUrls?: Record<string, string> }[];
      };
      const url = health.stacks?.find((stack) => stack.region === forRegion)?.functionUrls?.["HealthCheckFunction"];
      return url ? { url } : { reason: `the local cloud at ${options.endpointUrl} lists no HealthCheckFunction URL in ${forRegion}` };
    } catch (error) {
      return { reason: `could not ask ${options.endpointUrl}/_local/health: ${String(error)}` };
    }
  }
  const output = readStackOutput(options.stack, forRegion, "HealthCheckUrl");
  return "value" in output ? { url: output.value } : { reason: `${output.reason}; pass --health-url` };
};

/** Calls a health URL once: its status and what its body says failed, or why it could not be reached. */
export const callHealthUrl = async (url: string): Promise<{ status: number; failure?: string } | { unreachable: string }> => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    const body = (await response.json().catch(() => ({}))) as { failure?: string };
    return { status: response.status, ...(body.failure ? { failure: body.failure } : {}) };
  } catch (error) {
    return { unreachable: error instanceof Error ? error.message : String(error) };
  }
};
