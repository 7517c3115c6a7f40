/**
 * Which local service answers a request: the one routing table of the endpoint. AWS clients name the
 * service in the SigV4 credential scope, but not every client by the same name: the IoT control plane
 * is signed `iot` by current SDKs and `execute-api` by older models (Debian's AWS CLI v2), the IoT data
 * plane `iotdata` by the SDKs and CLIs and `iotdevicegateway` by device SDKs (the name AWS documents
 * for it). A signing name that several services share is told apart as AWS tells it apart: by the Host
 * the client called (each service has its own host name on AWS), and failing that (an endpoint
 * override such as `http://127.0.0.1:4566` names no service) by the paths only one of them has.
 */
export interface ServiceRoute {
  /** `LocalService.name` of the service that answers. */
  readonly service: string;
  readonly signingNames: readonly string[];
  /** For a shared signing name: this service's host names on AWS (port already removed). */
  readonly host?: RegExp;
  /** For a shared signing name: paths (URL-encoded, without query) that only this service has. */
  readonly path?: RegExp;
}

/** `data.iot.`, `data-ats.iot.`, `{prefix}-ats.iot.{region}.amazonaws.com`: one label before `iot`. */
const IOT_DATA_HOST = /^[a-z0-9-]+\.iot\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i;
const IOT_CONTROL_HOST = /^iot\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i;
/** Shadows, named-shadow listing, Publish, retained messages and connections: the data plane's REST paths. */
const IOT_DATA_PATH = /^\/(things\/[^/]+\/shadow$|api\/things\/shadow\/|topics\/|retainedMessage(\/|$)|connections\/)/;

export const SERVICE_ROUTES: readonly ServiceRoute[] = [
  { service: "iotdata", signingNames: ["iotdata", "iotdevicegateway", "iot", "execute-api"], host: IOT_DATA_HOST, path: IOT_DATA_PATH },
  { service: "iot", signingNames: ["iot", "execute-api"], host: IOT_CONTROL_HOST },
  { service: "dynamodb", signingNames: ["dynamodb"] },
  { service: "sqs", signingNames: ["sqs"] },
  { service: "ssm", signingNames: ["ssm"] },
  { service: "lambda", signingNames: ["lambda"] },
];

export interface RoutedRequest {
  readonly signingName: string;
  /** The Host header as sent (`127.0.0.1:4566`, `iot.us-east-1.amazonaws.com`). */
  readonly host: string | undefined;
  readonly path: string;
}

/**
 * The name of the service a request is for, or undefined when no route has its signing name. A name
 * with one route goes there; a shared one goes to the route whose host matches, else whose path
 * matches, else to the route that claims neither (the default for that name).
 */
export const serviceFor = (request: RoutedRequest, routes: readonly ServiceRoute[] = SERVICE_ROUTES): string | undefined => {
  const candidates = routes.filter((route) => route.signingNames.includes(request.signingName));
  if (candidates.length <= 1) return candidates[0]?.service;
  const host = (request.host ?? "").replace(/:\d+$/, "");
  const chosen =
    candidates.find((route) => route.host?.test(host)) ??
    candidates.find((route) => route.path?.test(request.path)) ??
    candidates.find((route) => route.path === undefined);
  return chosen?.service;
};

/** Every signing name some route answers, for error messages. */
export const knownSigningNames = (routes: readonly ServiceRoute[] = SERVICE_ROUTES): string[] =>
  [...new Set(routes.flatMap((route) => route.signingNames))].sort();
