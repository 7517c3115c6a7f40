import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsError, errorResponse, toAwsError } from "./aws-error";
import { parseCredentialScope } from "./credential-scope";
import type { LocalRequest, LocalResponse, LocalService } from "./service";

export interface LocalEndpointOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly services: readonly LocalService[];
  /** Extra fields for `GET /_local/health` (regions, broker ports, ...). */
  readonly health?: () => Record<string, unknown>;
  /** Fixed answers to `GET` of local paths, e.g. the local IoT CA's certificate at `/_local/iot/ca.pem`. */
  readonly localResources?: Readonly<Record<string, LocalResponse>>;
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

const send = (res: ServerResponse, response: LocalResponse): void => {
  const body = response.body ?? "";
  res.writeHead(response.status, { ...response.headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
};

/**
 * One HTTP endpoint for every emulated service, routed by the SigV4 credential scope, so a real
 * client needs nothing but an endpoint override (`AWS_ENDPOINT_URL`, `--endpoint-url`).
 */
export const startLocalEndpoint = async (options: LocalEndpointOptions): Promise<LocalEndpoint> => {
  const bySigningName = new Map<string, LocalService>();
  for (const service of options.services) for (const name of service.signingNames) bySigningName.set(name, service);

  const route = async (req: IncomingMessage): Promise<LocalResponse> => {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname === "/_local/health") {
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "ready", ...options.health?.() }),
      };
    }
    const resource = options.localResources && Object.hasOwn(options.localResources, url.pathname) && options.localResources[url.pathname];
    if (resource && req.method === "GET") return resource;
    const scope = parseCredentialScope(req.headers.authorization, url.searchParams);
    if (!scope)
      throw new AwsError("MissingAuthenticationTokenException", "request is not signed with SigV4; cannot tell service and region", 403);
    const service = bySigningName.get(scope.service);
    if (!service) throw new AwsError("UnknownServiceException", `the local cloud does not emulate service '${scope.service}'`, 400);
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
    return service.handle(request);
  };

  const server: Server = createServer((req, res) => {
    route(req).then(
      (response) => send(res, response),
      (thrown: unknown) => send(res, errorResponse(toAwsError(thrown))),
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
