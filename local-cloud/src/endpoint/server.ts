import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FaultInjector } from "../faults/fault-injector";
import { THROTTLED_SERVICES, type ThrottledService } from "../faults/fault-rules";
import { throttlingError } from "../faults/throttling-errors";
import { AwsError, errorResponse, toAwsError } from "./aws-error";
import { parseCredentialScope } from "./credential-scope";
import { faultsResponse } from "./faults-api";
import { isForeignKey, knownSecretOf, signatureMismatchError, unknownKeyError } from "./partition-credentials";
import { regionNotDeployed } from "./region-gate";
import type { LocalRequest, LocalResponse, LocalService } from "./service";
import { knownSigningNames, serviceFor } from "./service-routing";
import { hasValidSignature } from "./signature-check";

export interface LocalEndpointOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly services: readonly LocalService[];
  /** Extra fields for `GET /_local/health` (regions, broker ports, ...). */
  readonly health?: () => Record<string, unknown>;
  /** Throttles calls and drops connections to unavailable regions as its rules say; `/_local/faults` shows and sets them. */
  readonly faults?: FaultInjector;
  /** When given, the only regions answered; a request for any other is refused (`region-gate.ts`). */
  readonly regions?: readonly string[];
  /** Fixed answers to `GET` of local paths, e.g. the local IoT CA's certificate at `/_local/iot/ca.pem`. */
  readonly localResources?: Readonly<Record<string, LocalResponse>>;
  /** Unsigned HTTP paths answered by the caller, by prefix: e.g. function URLs under `/_local/lambda-url/`. */
  readonly localRoutes?: readonly LocalRoute[];
}

/** An unsigned HTTP request to a local route (no SigV4 scope: the route decides what it needs). */
export interface LocalHttpRequest {
  readonly method: string;
  /** Path without the query string, still URL-encoded as the client sent it. */
  readonly path: string;
  readonly rawQueryString: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  readonly sourceIp: string;
}

export interface LocalRoute {
  readonly prefix: string;
  handle(request: LocalHttpRequest): Promise<LocalResponse>;
}

export interface LocalEndpoint {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** An unreachable region answers nothing: the connection is reset, as a client sees an unreachable host. */
const DROP_CONNECTION = Symbol("drop connection");

/** The operation a request calls, for throttle rules: the service's own name for it, else its X-Amz-Target. */
const operationOf = (service: LocalService, request: LocalRequest): string => {
  const named = service.operationOf?.(request);
  if (named !== undefined) return named;
  const target = String(request.headers["x-amz-target"] ?? "");
  return target ? target.slice(target.lastIndexOf(".") + 1) : `${request.method} ${request.path}`;
};

/**
 * A backend the endpoint forwards to (DynamoDB Local) that is not there, e.g. while a test restarts
 * it: the client's connection is dropped too, so it sees the connection error and retries, rather
 * than an answer no AWS service would give.
 */
const isBackendUnreachable = (thrown: unknown): boolean =>
  ["ECONNREFUSED", "ECONNRESET", "EPIPE"].includes(String((thrown as { code?: unknown } | null)?.code));

/**
 * A partition refuses keys it does not know (another partition's); a fixed partition key pair, whose
 * secret the local cloud knows, must also sign correctly, so a client really needs the secret too.
 * Other keys' signatures are not checked: the local cloud has no secret for them.
 */
const partitionKeyError = (request: LocalRequest, rawUrl: string, service: string): AwsError | undefined => {
  if (isForeignKey(request.region, request.accessKeyId)) return unknownKeyError(service);
  const secret = knownSecretOf(request.accessKeyId);
  if (secret !== undefined && request.headers.authorization !== undefined && !hasValidSignature({ ...request, rawUrl }, secret))
    return signatureMismatchError(service);
  return undefined;
};

const isThrottled = (name: string): name is ThrottledService => (THROTTLED_SERVICES as readonly string[]).includes(name);

/** A call throttled by chance (`throttle` rules) or over its quota (`quotas`: token buckets) gets the service's throttling error. */
const isOverRate = (faults: FaultInjector, service: ThrottledService, region: string, operation: string): boolean =>
  faults.throttleFor(service, region, operation) || faults.overQuota(service, region, operation, Date.now());

const send = (res: ServerResponse, response: LocalResponse): void => {
  const body = response.body ?? "";
  res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
};

/**
 * One HTTP endpoint for every emulated service, routed by the SigV4 credential scope (with AWS's
 * aliases of signing names, `service-routing.ts`), so a real client of any generation needs nothing
 * but an endpoint override (`AWS_ENDPOINT_URL`, `--endpoint-url`).
 */
export const startLocalEndpoint = async (options: LocalEndpointOptions): Promise<LocalEndpoint> => {
  const byName = new Map<string, LocalService>(options.services.map((service) => [service.name, service]));

  const route = async (req: IncomingMessage): Promise<LocalResponse | typeof DROP_CONNECTION> => {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname === "/_local/faults" && options.faults)
      return faultsResponse(options.faults, req.method ?? "GET", await readBody(req));
    if (url.pathname === "/_local/health") {
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "ready", ...options.health?.() }),
      };
    }
    const resource = options.localResources && Object.hasOwn(options.localResources, url.pathname) && options.localResources[url.pathname];
    if (resource && req.method === "GET") return resource;
    const localRoute = options.localRoutes?.find((candidate) => url.pathname.startsWith(candidate.prefix));
    if (localRoute)
      return localRoute.handle({
        method: req.method ?? "GET",
        path: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ""),
        query: url.searchParams,
        headers: req.headers,
        body: await readBody(req),
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      });
    const scope = parseCredentialScope(req.headers.authorization, url.searchParams);
    if (!scope)
      throw new AwsError("MissingAuthenticationTokenException", "request is not signed with SigV4; cannot tell service and region", 403);
    const name = serviceFor({ signingName: scope.service, host: req.headers.host, path: url.pathname });
    if (options.faults?.isUnavailable(scope.region, name, Date.now())) return DROP_CONNECTION;
    if (options.regions && !options.regions.includes(scope.region)) throw regionNotDeployed(scope.region, options.regions);
    if (name === undefined) {
      const known = knownSigningNames().join(", ");
      throw new AwsError(
        "UnknownServiceException",
        `the local cloud does not emulate service '${scope.service}' (signing names: ${known})`,
        400,
      );
    }
    const service = byName.get(name);
    if (!service)
      throw new AwsError(
        "UnknownServiceException",
        `service '${name}' (signed as '${scope.service}') is not running on this endpoint`,
        400,
      );
    const request: LocalRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: await readBody(req),
      region: scope.region,
      service: scope.service,
      accessKeyId: scope.accessKeyId,
    };
    const keyError = partitionKeyError(request, req.url ?? "/", name);
    if (keyError) return service.errorResponse?.(request, keyError) ?? errorResponse(keyError);
    if (isThrottled(name) && options.faults && isOverRate(options.faults, name, scope.region, operationOf(service, request))) {
      const error = throttlingError(name);
      return service.errorResponse?.(request, error) ?? errorResponse(error);
    }
    return service.handle(request);
  };

  const server: Server = createServer((req, res) => {
    route(req).then(
      (response) => (response === DROP_CONNECTION ? req.socket.destroy() : send(res, response)),
      (thrown: unknown) => (isBackendUnreachable(thrown) ? req.socket.destroy() : send(res, errorResponse(toAwsError(thrown)))),
    );
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const service of new Set(options.services)) await service.close?.();
    },
  };
};
