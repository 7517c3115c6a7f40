import type { FunctionUrlConfig } from "../cloudformation/sam-function-url";
import type { LocalRoute } from "../endpoint/server";
import {
  FUNCTION_URL_PREFIX,
  functionUrlEvent,
  functionUrlResponse,
  parseFunctionUrlPath,
  refusedByAuthType,
  withoutBodyForHead,
} from "./function-url";
import type { LocalFunction } from "./local-function";

/** A deployed function that has a URL (its template gives it a FunctionUrlConfig). */
export interface FunctionUrlTarget {
  readonly url: string;
  readonly config: FunctionUrlConfig;
  readonly fn: LocalFunction;
}

const notFound = (message: string) => ({
  status: 404,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ Message: message }),
});

/**
 * Serves every deployed function URL at `{endpoint}/_local/lambda-url/{region}/{functionName}/...`: the
 * request becomes a payload 2.0 event (the path after the function's URL is its `rawPath`), the
 * function's answer becomes the HTTP response, as Lambda's URL front end does.
 */
export const createFunctionUrlRoute = (find: (region: string, functionName: string) => FunctionUrlTarget | undefined): LocalRoute => ({
  prefix: FUNCTION_URL_PREFIX,
  handle: async (request) => {
    const address = parseFunctionUrlPath(request.path);
    if (!address) return notFound(`${request.path} is not a function URL (${FUNCTION_URL_PREFIX}{region}/{functionName}/)`);
    const target = find(address.region, address.functionName);
    if (!target) return notFound(`no function URL for ${address.functionName} in ${address.region}`);
    const refused = refusedByAuthType(target.config, request.headers, request.query);
    if (refused) return refused;
    const urlId = Buffer.from(`${address.region}/${address.functionName}`).toString("hex").slice(0, 32);
    const event = functionUrlEvent(request, address.region, address.rawPath, urlId, new Date());
    return withoutBodyForHead(request.method, functionUrlResponse(await target.fn.invoke(event)));
  },
});
